// Readouts: a model's `readout` blocks scored on a run (ridge, one-vs-rest, cross-validated).
export { readoutData, binnedCounts, ReadoutError, type ReadoutData } from './data';
export { crossValidate, crossValidateScores, gram, ridgeFit, ridgeScores, choleskySolve, foldBounds, oneVsRest, argmax, type RidgeModel, type CrossValidateOptions } from './ridge';
export { evaluateReadouts, chanceLevel, DEFAULT_ALPHA, DEFAULT_FOLDS } from './evaluate';
export { isReadoutScore, isReadoutOutcome, readoutLine, readoutShort, type ReadoutScore, type ReadoutOutcome } from '../../../../protocol/readout';
