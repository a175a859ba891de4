// NumPy's .npy format (version 1.0), written without numpy: a run's spikes and traces load with
// `np.load(path)` (protocol/results.md). Little-endian, C order.
import * as fs from 'node:fs';

type Typed = Float64Array | Float32Array | Int32Array;

const DESCR = (a: Typed) => (a instanceof Float64Array ? '<f8' : a instanceof Float32Array ? '<f4' : '<i4');

/** The bytes before the data: magic, version 1.0, header length, the header dict padded to 64 bytes. */
export function npyHeader(a: Typed, shape: number[]): Buffer {
  const dict = `{'descr': '${DESCR(a)}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(total - 10, 8);
  return Buffer.concat([head, Buffer.from(dict + ' '.repeat(total - unpadded) + '\n', 'latin1')]);
}

/** Writes `a` with `shape` (default one dimension) as a .npy file. */
export function writeNpy(file: string, a: Typed, shape: number[] = [a.length]): void {
  const fd = fs.openSync(file, 'w');
  try {
    const parts = [npyHeader(a, shape), new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];
    for (const b of parts) for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off, b.length - off);
  } finally {
    fs.closeSync(fd);
  }
}
