// Which operators onnxruntime-web (the WASM CPU build, 1.31) can run: the standard ONNX operators
// by the opset that introduced them, the domains it registers, and the opsets it accepts. Measured:
// every standard operator of ONNX 1.12 (opset 17) creates a session in this build (a one-node model
// per operator; failures were missing attributes, never a missing kernel), ai.onnx.ml and
// com.microsoft operators load, opset 27+ and other domains are refused, Upsample and Scatter are
// refused from the opsets that removed them. Names from ONNX 1.12's
// schemas, plus the operators of opsets 18-24. A model that passes here can still fail in the
// runtime (a type without a kernel): runtime.ts maps those messages to the node.

/** Standard operators (default domain) by the opset that introduced them. */
const SINCE: Record<number, string> = {
  1: 'Abs Add And ArgMax ArgMin AveragePool BatchNormalization Cast Ceil Clip Concat Constant Conv ConvTranspose DepthToSpace Div Dropout Elu Equal Exp Flatten Floor GRU Gather Gemm GlobalAveragePool GlobalLpPool GlobalMaxPool Greater HardSigmoid Hardmax Identity If InstanceNormalization LRN LSTM LeakyRelu Less Log LogSoftmax Loop LpNormalization LpPool MatMul Max MaxPool MaxRoiPool Mean Min Mul Neg Not Or PRelu Pad Pow RNN RandomNormal RandomNormalLike RandomUniform RandomUniformLike Reciprocal ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceMax ReduceMean ReduceMin ReduceProd ReduceSum ReduceSumSquare Relu Reshape Selu Shape Sigmoid Size Slice Softmax Softplus Softsign SpaceToDepth Split Sqrt Squeeze Sub Sum Tanh Tile TopK Transpose Unsqueeze Upsample Xor',
  7: 'Acos Asin Atan Cos Multinomial Sin Tan',
  8: 'Expand Scan',
  9: 'Acosh Asinh Atanh Compress ConstantOfShape Cosh Erf EyeLike IsNaN MaxUnpool MeanVarianceNormalization NonZero OneHot Scatter Shrink Sign Sinh TfIdfVectorizer Where',
  10: 'ConvInteger DequantizeLinear IsInf MatMulInteger Mod NonMaxSuppression QLinearConv QLinearMatMul QuantizeLinear Resize ReverseSequence RoiAlign StringNormalizer ThresholdedRelu',
  11: 'BitShift ConcatFromSequence CumSum Det DynamicQuantizeLinear GatherElements GatherND Range Round ScatterElements ScatterND SequenceAt SequenceConstruct SequenceEmpty SequenceErase SequenceInsert SequenceLength SplitToSequence Unique',
  12: 'Celu Einsum GreaterOrEqual LessOrEqual NegativeLogLikelihoodLoss SoftmaxCrossEntropyLoss',
  14: 'HardSwish Trilu',
  15: 'Bernoulli CastLike Optional OptionalGetElement OptionalHasElement',
  16: 'GridSample',
  17: 'BlackmanWindow DFT HammingWindow HannWindow LayerNormalization MelWeightMatrix STFT SequenceMap',
  18: 'BitwiseAnd BitwiseNot BitwiseOr BitwiseXor CenterCropPad Col2Im GroupNormalization Mish',
  19: 'DeformConv',
  20: 'AffineGrid Gelu ImageDecoder RegexFullMatch StringConcat StringSplit',
  23: 'Attention RMSNormalization RotaryEmbedding',
  24: 'Swish TensorScatter',
};

/** Operator name → the opset that introduced it. */
export const STANDARD_OPS: ReadonlyMap<string, number> = new Map(Object.entries(SINCE).flatMap(([v, names]) => names.split(' ').map((n) => [n, Number(v)] as [string, number])));

/** Standard operators removed from ONNX: the opset from which the runtime refuses them, and what replaced them. */
export const REMOVED_OPS: ReadonlyMap<string, { since: number; use: string }> = new Map([
  ['Upsample', { since: 10, use: 'Resize' }],
  ['Scatter', { since: 11, use: 'ScatterElements' }],
]);

/** Domains whose operators the runtime registers besides the default one. */
export const RUNTIME_DOMAINS: readonly string[] = ['ai.onnx.ml', 'com.microsoft', 'com.microsoft.nchwc', 'com.ms.internal.nhwc'];

/** Highest default-domain opset the runtime accepts (newer ones are refused as unreleased). */
export const MAX_OPSET = 26;
