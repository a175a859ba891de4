// Model bytes → ModelProto with clear errors: files that are not ONNX (HTML, JSON, zip, text),
// truncated or garbage protobuf, no graph, an empty graph. Pure (no runtime, no file system).
import { decodeModel, type ModelProto } from './proto.js';
import { MAX_ONNX_BYTES, OnnxError } from './errors.js';

/** Int64 fields arrive as numbers or protobufjs Longs. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return 0;
  if (typeof v === 'bigint') return Number(v);
  const l = v as { toNumber?: () => number; low?: number; high?: number };
  if (typeof l.toNumber === 'function') return l.toNumber();
  return Number(String(v));
}

/** What the first bytes look like when they are plainly not a protobuf model. */
function sniff(b: Uint8Array): string | undefined {
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6)) return 'a zip archive (a PyTorch .pt or .npz?), not an ONNX model';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x48 && b[2] === 0x44 && b[3] === 0x46) return 'an HDF5 file (a Keras or NIR model?), not an ONNX model';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d) return 'a WebAssembly module, not an ONNX model';
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < b.length && i < 64 && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(i, i + 16)).toLowerCase();
  if (head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<?xml') || head.startsWith('<')) return 'an HTML or XML page (a download that returned a web page?), not an ONNX model';
  if (head.startsWith('{') || head.startsWith('[')) return 'JSON text, not an ONNX model';
  if (head.startsWith('ir_version') || head.startsWith('graph')) return 'ONNX text format; save the model in binary form (onnx.save)';
  return undefined;
}

/** The byte offset protobufjs stopped at, when its message says so. */
function offsetOf(e: unknown): number | undefined {
  const m = /index out of range: (\d+) \+ \d+ > \d+/.exec(String((e as Error)?.message ?? e));
  return m ? Number(m[1]) : undefined;
}

/** Decodes and checks a model: a graph with at least one node and one output. */
export function decodeChecked(bytes: Uint8Array, source: string): ModelProto {
  if (bytes.length === 0) throw new OnnxError(source, 'the file is empty');
  if (bytes.length > MAX_ONNX_BYTES) throw new OnnxError(source, `the file is ${(bytes.length / 2 ** 20).toFixed(0)} MiB; models over ${MAX_ONNX_BYTES / 2 ** 20} MiB are not read`);
  const what = sniff(bytes);
  if (what) throw new OnnxError(source, `this is ${what}`);
  let m: ModelProto;
  try {
    m = decodeModel(bytes);
  } catch (e) {
    const off = offsetOf(e);
    throw new OnnxError(source, `not a valid ONNX model (the protobuf data is truncated or corrupt${off === undefined ? `: ${String((e as Error)?.message ?? e)}` : ''})`, off === undefined ? {} : { offset: off });
  }
  const g = m.graph;
  if (!g) throw new OnnxError(source, 'not an ONNX model: it has no graph');
  if (num(m.irVersion) <= 0 || num(m.irVersion) > 100) throw new OnnxError(source, `not an ONNX model: IR version ${num(m.irVersion)} makes no sense`);
  if (!g.node || g.node.length === 0) throw new OnnxError(source, 'the model\'s graph has no nodes');
  if (!g.output || g.output.length === 0) throw new OnnxError(source, 'the model\'s graph has no outputs');
  return m;
}
