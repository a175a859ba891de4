// Readouts: a model's `readout` blocks scored on a run (ridge, one-vs-rest, cross-validated).
export { readoutData, binnedCounts, ReadoutError, type ReadoutData } from './data';
export { crossValidate, crossValidateScores, ridgeFit, ridgeScores, choleskySolve, foldBounds, oneVsRest, argmax, type RidgeModel, type CrossValidateOptions } from './ridge';
export { evaluateReadouts, isReadoutScore, readoutLine, chanceLevel, DEFAULT_ALPHA, DEFAULT_FOLDS, type ReadoutScore, type ReadoutOutcome } from './evaluate';
