// Readouts: a model's `readout` blocks scored on a run (ridge, one-vs-rest, cross-validated; or a fixed ONNX model).
export { readoutData, binnedCounts, ReadoutError, type ReadoutData } from './data';
export { crossValidate, crossValidateScores, gram, ridgeFit, ridgeScores, choleskySolve, foldBounds, oneVsRest, argmax, type RidgeModel, type CrossValidateOptions } from './ridge';
export { evaluateReadouts, evaluateAllReadouts, chanceLevel, DEFAULT_ALPHA, DEFAULT_FOLDS } from './evaluate';
export { evaluateFixed, scoreFixed, predictedClasses, featureMatrix, type FixedModel, type FixedModelLoader, type ModelOutput } from './fixed';
export { isReadoutScore, isReadoutOutcome, readoutLine, readoutShort, type ReadoutScore, type ReadoutOutcome } from '../../../../protocol/readout';
