// An ONNX readout's model file, as the checker reads it: the decoded graph's first input and
// output (protocol/onnx-readout.ts), never run. Garbage is an error message, not a throw.
import onnxProto from 'onnx-proto';
import { onnxIo, type OnnxIo } from '../../protocol/onnx-readout';

/** The phrase of the note at an ONNX readout's file in an untrusted workspace. */
export const UNTRUSTED_MODEL = "the model's input shape is checked once the workspace is trusted";

/** The model's inputs and outputs, or why the bytes are not an ONNX model. */
export function readOnnxIo(bytes: Uint8Array): { inputs: OnnxIo[]; outputs: OnnxIo[] } | { error: string } {
  if (bytes.length === 0) return { error: 'the file is empty' };
  try {
    const m = onnxProto.onnx.ModelProto.decode(bytes);
    if (!m.graph) return { error: 'it is not an ONNX model (no graph)' };
    return onnxIo(m);
  } catch (e) {
    return { error: `it is not an ONNX model (${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200)})` };
  }
}
