// The task metric of circuit discovery: a readout's cross-validated ridge accuracy (the readout
// core, analysis/readout), with its chance level (the most frequent class). Two ways:
// - frozen (default): the readout is fitted on the reference run (the intact network) and
//   scored on the intervened run, fold by fold (fit on the reference's other folds, predict this
//   fold's windows from the intervened activity). The readout stays what the intact network
//   trained, as ACDC and activation patching keep the model fixed: activity that carries the
//   information in another form (another stimulus's pattern) does not count.
// - retrained: cross-validated on the intervened run alone: whether the information is there at all.
import type { ModelIR } from '../../../../protocol/ir';
import type { RunResult } from '../../core/run';
import { argmax, chanceLevel, crossValidate, DEFAULT_ALPHA, DEFAULT_FOLDS, foldBounds, readoutData, ridgeFit, ridgeScores, type RidgeModel } from '../readout/index';
import type { MetricFn } from './evaluate';

export const retrainedAccuracy: MetricFn = (ir, readout, run) => {
  const data = readoutData(ir, readout, run);
  const folds = Math.min(DEFAULT_FOLDS, data.labels.length);
  const cv = crossValidate(data.features, data.labels, data.classes.length, { alpha: alphaOf(ir, readout), folds });
  return { value: cv.value, chance: chanceLevel(data.labels, data.classes.length) };
};

const alphaOf = (ir: ModelIR, readout: string) => ir.readouts.find((r) => r.name === readout)?.alpha ?? DEFAULT_ALPHA;

/** Per reference run and readout: the fold bounds and the readout fitted on each fold's complement. */
const fitted = new WeakMap<RunResult, Map<string, { bounds: [number, number][]; models: RidgeModel[]; labels: number[]; classes: number }>>();

function foldModels(ir: ModelIR, readout: string, reference: RunResult) {
  let byReadout = fitted.get(reference);
  if (!byReadout) fitted.set(reference, (byReadout = new Map()));
  let f = byReadout.get(readout);
  if (!f) {
    const data = readoutData(ir, readout, reference);
    const bounds = foldBounds(data.labels.length, Math.min(DEFAULT_FOLDS, data.labels.length));
    const models = bounds.map(([a, b]) => {
      const keep = data.features.map((_, i) => i).filter((i) => i < a || i >= b);
      return ridgeFit(keep.map((i) => data.features[i]), keep.map((i) => data.labels[i]), data.classes.length, alphaOf(ir, readout));
    });
    f = { bounds, models, labels: data.labels, classes: data.classes.length };
    byReadout.set(readout, f);
  }
  return f;
}

export const frozenAccuracy: MetricFn = (ir, readout, run, reference) => {
  const f = foldModels(ir, readout, reference);
  const x = readoutData(ir, readout, run).features;
  let correct = 0;
  f.bounds.forEach(([a, b], k) => {
    for (let i = a; i < b; i++) if (argmax(ridgeScores(f.models[k], x[i])) === f.labels[i]) correct++;
  });
  return { value: f.labels.length ? correct / f.labels.length : 0, chance: chanceLevel(f.labels, f.classes) };
};
