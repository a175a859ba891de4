// ONNX readouts (`readout clf = onnx { file; from; bin }`): the model file's bytes → an
// onnxruntime-web session behind the readout core's FixedModel (analysis/readout/fixed.ts), which
// bins the spikes, calls `predict` and scores. The model's first input takes float32
// [windows, features] (a symbolic or any batch dimension; a fixed batch b is fed b windows at a
// time, the last chunk padded with zeros); its first output is float (scores per class) or an
// integer class index. What is wrong is a ReadoutError naming the readout and the file.
import type { ModelIR } from '../../../protocol/ir';
import { readoutIo } from '../../../protocol/onnx-readout';
import { ReadoutError, type FixedModel, type FixedModelLoader, type ModelOutput } from '../analysis/readout/index';
import { OnnxError } from './errors';
import { OnnxSession } from './runtime';

/** The model as the readout core runs it. Throws ReadoutError (naming `readout` and `file`). */
export async function onnxFixedModel(bytes: Uint8Array, file: string, readout: string, inFile = ''): Promise<FixedModel> {
  const fail: (why: string) => never = (why) => {
    throw new ReadoutError(`readout ${readout}${inFile}: ${why.startsWith(`${file}: `) ? why : `${file}: ${why}`}`, { readout });
  };
  // Checked (inspect.ts, check.ts) and loaded; an OnnxError names the file and the node.
  const session = await OnnxSession.create(bytes, { source: file }).catch((e) => fail(reason(e)));
  const got = readoutIo(session.info);
  if ('error' in got) {
    await session.release();
    return fail(got.error);
  }
  const sig = got;
  const { integer, batch } = sig;
  return {
    file,
    inputFeatures: sig.features,
    outputClasses: sig.classes,
    async predict(x: Float32Array, rows: number, cols: number): Promise<ModelOutput> {
      const chunk = batch ?? Math.max(1, rows);
      const parts: ModelOutput[] = [];
      for (let a = 0; a < rows; a += chunk) {
        const feed = new Float32Array(chunk * cols);
        feed.set(x.subarray(a * cols, Math.min(rows, a + chunk) * cols));
        const out = await session.run({ [sig.input.name]: { data: feed, dims: [chunk, cols] } }, [sig.output.name]).then(
          (o) => o[sig.output.name],
          (e) => fail(`running it on ${chunk} windows of ${cols} features failed: ${reason(e)}`),
        );
        const per = out.data.length / chunk;
        const keep = Math.min(chunk, rows - a);
        parts.push({ data: out.data.subarray(0, keep * per), dims: [keep, ...out.dims.slice(1)], integer });
      }
      if (parts.length === 1) return parts[0];
      const data = new Float32Array(parts.reduce((s, p) => s + p.data.length, 0));
      let at = 0;
      for (const p of parts) {
        data.set(p.data as Float32Array, at);
        at += p.data.length;
      }
      return { data, dims: [rows, ...parts[0].dims.slice(1)], integer };
    },
    release: () => session.release(),
  };
}

/** A loader for the readout core: the file's bytes from `read` (bounded, confined: the host's), then the session; `inFile` (" (in model.snn)") goes into messages. */
export function onnxReadoutLoader(read: (file: string, readout: string) => Uint8Array, inFile = ''): FixedModelLoader {
  return async (r: ModelIR['readouts'][number]) => onnxFixedModel(read(r.file ?? '', r.name), r.file ?? '', r.name, inFile);
}

/** An error's message: an OnnxError's as it is (it names the file), another's first line. */
const reason = (e: unknown) => (e instanceof OnnxError ? e.message : String((e as Error)?.message ?? e).split('\n')[0].slice(0, 300));
