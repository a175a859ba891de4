// test/corpus/valid/models/clf.onnx, the ONNX readout of test/corpus/valid/analysis.snn: the sum of
// the features per window ([N, F] → ReduceSum over axis 1 → [N, 1], one class), any number of
// features (symbolic F). test/onnx-readout.test.ts checks the committed file against this.
import { encodeModel, int64Tensor, node, valueInfo } from '../../sim-host/src/onnx/proto';

export function corpusReadoutModel(): Uint8Array {
  return encodeModel({
    name: 'corpus_sum_readout',
    nodes: [node('ReduceSum', ['features', 'axes'], ['score'], 'sum', { keepdims: 1 })],
    initializers: [int64Tensor('axes', [1], [1])],
    inputs: [valueInfo('features', ['N', 'F'])],
    outputs: [valueInfo('score', ['N', 1])],
    docString: 'one score per window: the sum of its features (test corpus)',
  });
}
