// Small ONNX models written with sim-host/src/onnx/proto.ts for the editor's tests: a conv net
// (Conv → Relu → MaxPool → Flatten → Gemm → Softmax, weights as initializers, known parameter
// counts), a chain of `n` MatMul → Add → Relu blocks (a graph too large to lay out at once), and a
// model whose names are markup.
import { encodeModel, floatTensor, node, valueInfo } from '../../sim-host/src/onnx/proto';

const zeros = (n: number) => new Float32Array(n);

/** Conv 3→4 (3×3, pads 1): 108 + 4 params; Gemm 4·4·4 = 64 → 5: 320 + 5. Total 437. */
export function convNet(): Uint8Array {
  return encodeModel({
    name: 'tiny_cnn',
    inputs: [valueInfo('image', ['N', 3, 8, 8])],
    outputs: [valueInfo('probs', ['N', 5])],
    initializers: [floatTensor('conv.w', [4, 3, 3, 3], zeros(108)), floatTensor('conv.b', [4], zeros(4)), floatTensor('fc.w', [5, 64], zeros(320)), floatTensor('fc.b', [5], zeros(5))],
    nodes: [
      node('Conv', ['image', 'conv.w', 'conv.b'], ['conv_out'], 'conv1', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node('Relu', ['conv_out'], ['relu_out'], 'relu1'),
      node('MaxPool', ['relu_out'], ['pool_out'], 'pool1', { kernel_shape: [2, 2], strides: [2, 2] }),
      node('Flatten', ['pool_out'], ['flat'], 'flatten', { axis: 1 }),
      node('Gemm', ['flat', 'fc.w', 'fc.b'], ['logits'], 'fc', { transB: 1 }),
      node('Softmax', ['logits'], ['probs'], 'softmax', { axis: 1 }),
    ],
  });
}

/** `blocks` × (MatMul, Add, Relu) on width 4: 3·blocks ops, 20 parameters a block. */
export function chain(blocks: number): Uint8Array {
  const nodes = [];
  const initializers = [];
  let x = 'x';
  for (let b = 0; b < blocks; b++) {
    initializers.push(floatTensor(`w${b}`, [4, 4], zeros(16)), floatTensor(`b${b}`, [4], zeros(4)));
    nodes.push(node('MatMul', [x, `w${b}`], [`mm${b}`], `block${b}/matmul`), node('Add', [`mm${b}`, `b${b}`], [`add${b}`], `block${b}/add`), node('Relu', [`add${b}`], [`h${b}`], `block${b}/relu`));
    x = `h${b}`;
  }
  return encodeModel({ name: 'chain', inputs: [valueInfo('x', ['N', 4])], outputs: [valueInfo(x, ['N', 4])], initializers, nodes });
}

/** Node, tensor and graph names that are HTML. */
export function hostileNames(): Uint8Array {
  return encodeModel({
    name: '<img src=x onerror=alert(1)>',
    inputs: [valueInfo('<b>in</b>', [1, 2])],
    outputs: [valueInfo('out', [1, 2])],
    initializers: [],
    nodes: [node('Relu', ['<b>in</b>'], ['out'], '<script>alert(2)</script>')],
  });
}
