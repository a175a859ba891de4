// The ONNX runtime in a page or webview (dist/onnx-browser.js, an IIFE that defines
// globalThis.spikeworksOnnx): single-threaded unless the page is crossOriginIsolated, the .wasm's
// bytes passed in (no paths to resolve, no fetch by the runtime). The page's CSP must allow
// 'wasm-unsafe-eval' in script-src for WebAssembly to compile.
import type { OnnxGraphInfo } from '../../../protocol/onnx-graph.js';
import { OnnxError } from './errors.js';
import { inspectOnnx } from './inspect.js';
import { configureOrt, effectiveThreads, OnnxSession, type FloatTensor } from './runtime.js';

export interface PageRun {
  outputs?: Record<string, { dims: number[]; data: number[] }>;
  /** Threads the runtime was given. */
  threads?: number;
  error?: string;
}

let configured = false;

/** Runs a model once in the page: the runtime's bytes on the first call, feeds as plain arrays. */
export async function runInPage(model: Uint8Array, wasmBinary: ArrayBuffer | undefined, feeds: Record<string, { dims: number[]; data: number[] }>, numThreads = 1): Promise<PageRun> {
  try {
    if (!configured) {
      configureOrt({ wasmBinary, numThreads });
      configured = true;
    }
    const s = await OnnxSession.create(model, { source: 'page model' });
    const f: Record<string, FloatTensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = { data: Float32Array.from(v.data), dims: v.dims };
    const r = await s.run(f);
    await s.release();
    return { outputs: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { dims: v.dims, data: [...v.data] }])), threads: effectiveThreads(numThreads) };
  } catch (e) {
    return { error: e instanceof OnnxError ? e.message : String((e as Error)?.message ?? e) };
  }
}

export function inspectInPage(model: Uint8Array): OnnxGraphInfo | { error: string } {
  try {
    return inspectOnnx(model, 'page model');
  } catch (e) {
    return { error: String((e as Error)?.message ?? e) };
  }
}

(globalThis as unknown as { spikeworksOnnx: unknown }).spikeworksOnnx = { run: runInPage, inspect: inspectInPage };
