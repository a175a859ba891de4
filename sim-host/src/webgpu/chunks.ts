// Buffers larger than one storage binding (protocol/webgpu.md, "Buffers"): the plan's memory
// (`mem`) and the arrival buckets (`bucket`) grow with the synapse count, so each is split into
// chunks of at most min(maxStorageBufferBindingSize, maxBufferSize) bytes, one GPUBuffer and one
// binding per chunk. Kernels reach them only through accessors (mr/mw for `mem`, bl/bs/ba for
// the atomic `bucket`) that pick the chunk from the word address; with one chunk they are a
// plain index. What cannot be split (the other buffers are O(neurons)) or needs more bindings
// than the adapter has is refused by the caller, naming the limit and the buffer.

export interface Split {
  /** Words per chunk (every chunk but the last is full). */
  chunkWords: number;
  chunks: number;
  /** Binding number of each chunk. */
  bindings: number[];
}

/** Chunks of `bytes` under `limit` bytes per binding (a multiple of 256 bytes). */
export function split(bytes: number, limit: number): { chunkWords: number; chunks: number } {
  const chunkBytes = Math.max(256, Math.floor(limit / 256) * 256);
  if (bytes <= limit) return { chunkWords: Math.ceil(Math.max(bytes, 16) / 4), chunks: 1 };
  return { chunkWords: chunkBytes / 4, chunks: Math.ceil(bytes / chunkBytes) };
}

/** Byte ranges [chunk, offset in chunk, length] covering [byteOffset, byteOffset + bytes). */
export function pieces(s: { chunkWords: number }, byteOffset: number, bytes: number): [number, number, number][] {
  const cb = s.chunkWords * 4;
  const out: [number, number, number][] = [];
  let at = byteOffset;
  const end = byteOffset + bytes;
  while (at < end) {
    const c = Math.floor(at / cb);
    const n = Math.min(end, (c + 1) * cb) - at;
    out.push([c, at - c * cb, n]);
    at += n;
  }
  return out;
}

/** WGSL declarations of a split buffer and its accessors. */
export function accessors(name: 'mem' | 'bucket', s: Split): string {
  const atomic = name === 'bucket';
  const decl = s.bindings.map((b, k) => `@group(0) @binding(${b}) var<storage, read_write> ${name}${k ? `_${k}` : ''}: array<${atomic ? 'atomic<u32>' : 'u32'}>;`);
  const chunk = (k: number) => `${name}${k ? `_${k}` : ''}`;
  // body(x) is the access on array x at word o
  const fn = (head: string, ret: boolean, body: (x: string) => string) => {
    if (s.chunks === 1) return `${head} { let o = a; ${ret ? 'return ' : ''}${body(chunk(0))}; }`;
    const cases = s.bindings.map((_, k) => `${k === s.chunks - 1 ? 'default' : `case ${k}u`}: { ${ret ? 'r = ' : ''}${body(chunk(k))}; }`).join(' ');
    return `${head} { let c = a / ${s.chunkWords}u; let o = a - c * ${s.chunkWords}u; ${ret ? 'var r: u32; ' : ''}switch (c) { ${cases} } ${ret ? 'return r; ' : ''}}`;
  };
  const fns = atomic
    ? [
        fn('fn bl(a: u32) -> u32', true, (x) => `atomicLoad(&${x}[o])`),
        fn('fn bs(a: u32, v: u32)', false, (x) => `atomicStore(&${x}[o], v)`),
        fn('fn ba(a: u32, v: u32) -> u32', true, (x) => `atomicAdd(&${x}[o], v)`),
      ]
    : [fn('fn mr(a: u32) -> u32', true, (x) => `${x}[o]`), fn('fn mw(a: u32, v: u32)', false, (x) => `${x}[o] = v`)];
  return [...decl, ...fns].join('\n');
}
