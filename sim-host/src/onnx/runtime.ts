// onnxruntime-web sessions (the WASM execution provider, single-threaded unless told otherwise).
// The one place that loads the runtime; everything else gets an `OnnxSession`. Models are checked
// (inspect.ts, check.ts) before the runtime sees them, and the runtime's own failures come back as
// OnnxError naming the file and, where the runtime says, the node.
import type * as Ort from 'onnxruntime-web';
import type { OnnxGraphInfo } from '../../../protocol/onnx-graph.js';
import { OnnxError } from './errors.js';
import { inspectOnnx } from './inspect.js';
import { checkOnnx } from './check.js';
import { SHAPE_RULES } from './shapes.js';

/** How the runtime is loaded; set before the first session (the runtime starts once per process). */
export interface OrtSetup {
  /** Threads for the WASM runtime (default 1). Pages that are not `crossOriginIsolated` get 1 whatever is asked. */
  numThreads?: number;
  /** The .wasm's bytes (webviews and pages: no fetch, no paths). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where ort-wasm-simd-threaded.{mjs,wasm} lie (a URL prefix ending in "/"). In Node, by default, the bytes and module are read from dist/ort/ beside the bundle, else from the package. */
  wasmPaths?: string;
}

let setup: OrtSetup = {};
let ortPromise: Promise<typeof Ort> | undefined;

/** Sets how the runtime loads; an error once it has loaded (its settings are fixed by then). */
export function configureOrt(s: OrtSetup): void {
  if (ortPromise) throw new Error('the ONNX runtime is already loaded; configure it before the first session');
  setup = { ...setup, ...s };
}

interface NodeBuiltins { fs: typeof import('node:fs'); path: typeof import('node:path'); url: typeof import('node:url'); module: typeof import('node:module') }

/** Node's modules without a static import (this file is bundled for pages too). */
function nodeBuiltins(): NodeBuiltins | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } }).process;
  if (!p?.versions?.node || typeof p.getBuiltinModule !== 'function') return undefined;
  const get = <T>(id: string) => p.getBuiltinModule!(id) as T;
  return { fs: get('node:fs'), path: get('node:path'), url: get('node:url'), module: get('node:module') };
}

const WASM = 'ort-wasm-simd-threaded.wasm';
const MJS = 'ort-wasm-simd-threaded.mjs';

/**
 * The runtime's two files in Node: dist/ort/ beside the running bundle (dist/cli.js,
 * dist/extension.js, dist/sim-worker.js), else the onnxruntime-web package (tests under tsx).
 */
export function nodeOrtFiles(): { wasm: string; mjs: string } | undefined {
  const n = nodeBuiltins();
  if (!n) return undefined;
  const dirs: string[] = [];
  if (typeof __dirname === 'string') dirs.push(n.path.join(__dirname, 'ort'));
  try {
    const req = n.module.createRequire(typeof __filename === 'string' ? __filename : n.path.join(process.cwd(), 'x.js'));
    dirs.push(n.path.dirname(req.resolve('onnxruntime-web/wasm')));
  } catch {
    // no package: only the bundled copy
  }
  const dir = dirs.find((d) => n.fs.existsSync(n.path.join(d, WASM)) && n.fs.existsSync(n.path.join(d, MJS)));
  return dir ? { wasm: n.path.join(dir, WASM), mjs: n.path.join(dir, MJS) } : undefined;
}

/** In Node: the .wasm's bytes (Node's fetch cannot read file: URLs) and the .mjs as a file URL. */
function nodeWasmFlags(): { wasmBinary: Uint8Array; mjs: string } | undefined {
  const n = nodeBuiltins();
  const f = nodeOrtFiles();
  if (!n || !f) return undefined;
  return { wasmBinary: n.fs.readFileSync(f.wasm), mjs: n.url.pathToFileURL(f.mjs).href };
}

/** Threads actually used: 1 in pages that are not cross-origin isolated. */
export function effectiveThreads(asked: number | undefined): number {
  const n = Math.max(1, Math.floor(asked ?? 1));
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node) return n;
  return g.crossOriginIsolated ? n : 1;
}

/** The runtime, loaded once (a failed load is tried again on the next call). */
export async function loadOrt(): Promise<typeof Ort> {
  ortPromise ??= (async () => {
    const ort = (await import('onnxruntime-web/wasm')) as unknown as typeof Ort;
    ort.env.wasm.numThreads = effectiveThreads(setup.numThreads);
    const node = setup.wasmBinary || setup.wasmPaths ? undefined : nodeWasmFlags();
    if (!node && !setup.wasmBinary && !setup.wasmPaths && nodeBuiltins()) throw new Error(`the ONNX runtime's files are missing: neither dist/ort/${WASM} and ${MJS} beside the bundle nor the onnxruntime-web package were found`);
    if (node) {
      ort.env.wasm.wasmBinary = node.wasmBinary;
      ort.env.wasm.wasmPaths = { mjs: node.mjs };
    } else {
      if (setup.wasmBinary) ort.env.wasm.wasmBinary = setup.wasmBinary;
      if (setup.wasmPaths) ort.env.wasm.wasmPaths = setup.wasmPaths;
    }
    return ort;
  })();
  ortPromise.catch(() => { ortPromise = undefined; });
  return ortPromise;
}

/** A float32 tensor: row-major data and its shape. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

export interface SessionOptions {
  /** The file (or label) named in errors; default "model.onnx". */
  source?: string;
}

const ORT_PREFIX = /^(?:Can't create a session\.|failed to call OrtRun\(\)\.)\s*(?:ERROR_CODE: \d+, )?(?:ERROR_MESSAGE: )?/;

/** ORT's message without its error codes and C++ source locations. */
export function cleanOrtMessage(raw: string): string {
  let m = raw.replace(ORT_PREFIX, '');
  m = m.replace(/\/\S+\.(?:cc|h|cpp):\d+ [^\n]*?\)\s/g, '').replace(/\S+\.(?:cc|h|cpp):\d+ \w+ /g, '').replace(/\[ONNXRuntimeError\] : \d+ : \w+ : /g, '');
  return m.replace(/\s+/g, ' ').trim();
}

/** The node a runtime message names, if any (by name, or by an attribute or input it quotes). */
export function nodeOfMessage(msg: string, info: OnnxGraphInfo): { node: string; op: string } | undefined {
  const at = (n: OnnxGraphInfo['nodes'][number] | undefined) => (n ? { node: n.name, op: n.opType } : undefined);
  const attr = /Unrecognized attribute: (.+?) for operator (\S+)/.exec(msg);
  if (attr) return at(info.nodes.find((n) => n.opType === attr[2] && attr[1] in n.attributes));
  const input = /Node input '([^']+)'/.exec(msg);
  if (input) return at(info.nodes.find((n) => n.inputs.includes(input[1])));
  const pats = [/node \(([^)]+)\)/i, /node with name '([^']+)'/i, /Node\(([^)]+)\)/, /Name:'([^']+)'/, /node ([^\s:,]+)/i];
  for (const p of pats) {
    const m = p.exec(msg);
    if (!m) continue;
    const n = info.nodes.find((x) => x.name === m[1]);
    if (n) return { node: n.name, op: n.opType };
  }
  return undefined;
}

/** The first node with a shape rule whose inputs' shapes are all known but whose output's is not: there they do not fit. */
function shapeSuspect(info: OnnxGraphInfo): { node: string; op: string } | undefined {
  const n = info.nodes.find((x) => (x.domain === '' || x.domain === 'ai.onnx') && SHAPE_RULES.has(x.opType) && x.inputs.every((i) => !i || info.shapes[i]) && x.outputs[0] && !info.shapes[x.outputs[0]]);
  return n ? { node: n.name, op: n.opType } : undefined;
}

function fromOrt(info: OnnxGraphInfo, e: unknown, what: string): OnnxError {
  if (e instanceof OnnxError) return e;
  const msg = cleanOrtMessage(String((e as Error)?.message ?? e));
  const start = /no available backend found\. ERR: \[wasm\] (.*?)(?:, \[cpu\] .*)?$/.exec(msg);
  if (start) {
    const why = start[1].replace(/^RuntimeError: Aborted\((.*)\)\. Build with -sASSERTIONS for more info\.$/, '$1');
    const hint = /Content Security/i.test(why) ? " (the page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src)" : '';
    return new OnnxError(info.source, `onnxruntime-web could not start: ${why}${hint}`);
  }
  const at = nodeOfMessage(msg, info);
  const dep = /Op registered for (\S+) is deprecated in domain_version of (\d+)/.exec(msg);
  if (dep) {
    const n = info.nodes.find((x) => x.opType === dep[1]);
    return new OnnxError(info.source, `operator ${dep[1]}${n ? ` in node ${n.name}` : ''} is deprecated at opset ${dep[2]}; onnxruntime-web does not run it there`, n ? { node: n.name, op: dep[1] } : {});
  }
  const unreg = /No Op registered for (\S+) with domain_version of (\d+)|(\S+):(\S+)\(-?\d+\) is not a registered function\/op/.exec(msg);
  if (unreg) {
    const op = unreg[1] ?? unreg[4];
    const n = info.nodes.find((x) => x.opType === op);
    return new OnnxError(info.source, `operator ${op}${unreg[3] ? ` (domain ${unreg[3]})` : ''}${n ? ` in node ${n.name}` : ''} is not supported by onnxruntime-web${unreg[2] ? ` at opset ${unreg[2]}` : ''}`, n ? { node: n.name, op } : {});
  }
  return new OnnxError(info.source, `${what}: ${msg}`, at ?? (/ShapeInferenceError|Incompatible dimensions/.test(msg) ? shapeSuspect(info) : undefined) ?? {});
}

const sameDims = (want: readonly (number | string)[] | undefined, got: readonly number[]) =>
  !want || (want.length === got.length && want.every((d, i) => typeof d !== 'number' || d === got[i]));

export class OnnxSession {
  private constructor(private readonly ort: typeof Ort, private readonly session: Ort.InferenceSession, readonly inputNames: readonly string[], readonly outputNames: readonly string[], readonly info: OnnxGraphInfo) {}

  /** Checks the model, then loads it; every failure is an OnnxError naming `options.source`. */
  static async create(bytes: Uint8Array, options: SessionOptions = {}): Promise<OnnxSession> {
    const info = inspectOnnx(bytes, options.source ?? 'model.onnx');
    checkOnnx(info);
    let ort: typeof Ort;
    try {
      ort = await loadOrt();
    } catch (e) {
      throw new OnnxError(info.source, `onnxruntime-web could not start: ${(e as Error)?.message ?? e}`);
    }
    let s: Ort.InferenceSession;
    try {
      // errors come back as exceptions; the runtime's own log would repeat them on stderr
      s = await ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
    } catch (e) {
      throw fromOrt(info, e, 'onnxruntime-web could not load the model');
    }
    return new OnnxSession(ort, s, s.inputNames, s.outputNames, info);
  }

  /** Runs the model on float32 inputs; returns the named outputs (all by default) as float32. */
  async run(feeds: Record<string, FloatTensor>, outputs: readonly string[] = this.outputNames): Promise<Record<string, FloatTensor>> {
    const src = this.info.source;
    for (const name of this.inputNames) if (!(name in feeds)) throw new OnnxError(src, `input "${name}" is not given (the model's inputs: ${this.inputNames.join(', ')})`);
    for (const o of outputs) if (!this.outputNames.includes(o)) throw new OnnxError(src, `"${o}" is not an output of the model (its outputs: ${this.outputNames.join(', ')})`);
    const f: Record<string, Ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) {
      const decl = this.info.inputs.find((i) => i.name === k);
      if (!decl) throw new OnnxError(src, `"${k}" is not an input of the model (its inputs: ${this.inputNames.join(', ')})`);
      const size = v.dims.reduce((a, b) => a * b, 1);
      if (!v.dims.every((d) => Number.isInteger(d) && d >= 0) || size !== v.data.length) throw new OnnxError(src, `input "${k}": ${v.data.length} values do not fill the shape [${v.dims.join(', ')}]`);
      if (!sameDims(decl.shape, v.dims)) throw new OnnxError(src, `input "${k}" has shape [${v.dims.join(', ')}]; the model expects [${decl.shape!.join(', ')}]`);
      if (decl.elemType !== 'float32' && decl.elemType !== 'unknown') throw new OnnxError(src, `input "${k}" is ${decl.elemType}; only float32 inputs are fed here`);
      f[k] = new this.ort.Tensor('float32', v.data, v.dims);
    }
    let r: Ort.InferenceSession.OnnxValueMapType;
    try {
      r = await this.session.run(f, [...outputs]);
    } catch (e) {
      throw fromOrt(this.info, e, 'the model failed to run');
    }
    const out: Record<string, FloatTensor> = {};
    for (const k of outputs) {
      const t = r[k];
      out[k] = { data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>, Number), dims: [...t.dims] };
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
