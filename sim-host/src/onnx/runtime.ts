// onnxruntime-web sessions (the WASM execution provider, single-threaded unless told otherwise).
// The one place that loads the runtime; everything else gets an `OnnxSession`.
import type * as Ort from 'onnxruntime-web';

let ortPromise: Promise<typeof Ort> | undefined;

/** The runtime, loaded once. */
export async function loadOrt(): Promise<typeof Ort> {
  ortPromise ??= (async () => {
    const ort = (await import('onnxruntime-web/wasm')) as unknown as typeof Ort;
    ort.env.wasm.numThreads = 1;
    return ort;
  })();
  return ortPromise;
}

/** A float32 tensor: row-major data and its shape. */
export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

export class OnnxSession {
  private constructor(private readonly ort: typeof Ort, private readonly session: Ort.InferenceSession, readonly inputNames: readonly string[], readonly outputNames: readonly string[]) {}

  static async create(bytes: Uint8Array): Promise<OnnxSession> {
    const ort = await loadOrt();
    const s = await ort.InferenceSession.create(bytes);
    return new OnnxSession(ort, s, s.inputNames, s.outputNames);
  }

  /** Runs the model on float32 inputs; returns the named outputs (all by default) as float32. */
  async run(feeds: Record<string, FloatTensor>, outputs: readonly string[] = this.outputNames): Promise<Record<string, FloatTensor>> {
    const f: Record<string, Ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = new this.ort.Tensor('float32', v.data, v.dims);
    const r = await this.session.run(f, [...outputs]);
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
