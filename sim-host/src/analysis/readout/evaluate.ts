// Every readout of a model, scored on a run: its data (data.ts), its cross-validated accuracy
// (ridge.ts), the chance level (always answering the most frequent class) and the trials.

import type { ModelIR } from '../../../../protocol/ir';
import type { RunResult } from '../../core/run';
import { ReadoutError, readoutData } from './data';
import { crossValidate } from './ridge';

export const DEFAULT_FOLDS = 5;
export const DEFAULT_ALPHA = 1.0;

export interface ReadoutScore {
  readout: string;
  task: string;
  metric: 'accuracy';
  value: number;
  correct: number;
  trials: number;
  /** The accuracy of always answering the most frequent class (1/classes when balanced). */
  chance: number;
  folds: number;
  classes: string[];
}

export type ReadoutOutcome = ReadoutScore | { readout: string; error: string };

/** The accuracy of always answering the most frequent class. */
export function chanceLevel(labels: readonly number[], classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const y of labels) counts[y]++;
  return labels.length ? Math.max(...counts) / labels.length : 0;
}

/** Scores every readout of `ir` on `run` (in the model's order); a readout that cannot be evaluated gives its error. */
export function evaluateReadouts(ir: ModelIR, run: RunResult, o: { folds?: number } = {}): ReadoutOutcome[] {
  const folds = o.folds ?? DEFAULT_FOLDS;
  return ir.readouts.map((r): ReadoutOutcome => {
    try {
      const data = readoutData(ir, r.name, run);
      const f = Math.min(folds, data.labels.length);
      const cv = crossValidate(data.features, data.labels, data.classes.length, { alpha: r.alpha ?? DEFAULT_ALPHA, folds: f });
      return { readout: r.name, task: data.task, metric: 'accuracy', value: cv.value, correct: cv.correct, trials: cv.trials, chance: chanceLevel(data.labels, data.classes.length), folds: f, classes: data.classes };
    } catch (e) {
      if (e instanceof ReadoutError) return { readout: r.name, error: e.message };
      throw e;
    }
  });
}

export function isReadoutScore(x: ReadoutOutcome): x is ReadoutScore {
  return !('error' in x);
}

/** One line per readout: "r (digits_task): accuracy 85.0 % (17/20 windows, 5-fold), chance 25.0 %", or its error. */
export function readoutLine(x: ReadoutOutcome): string {
  if (!isReadoutScore(x)) return `readout ${x.readout}: not evaluated: ${x.error}`;
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  return `readout ${x.readout} (task ${x.task}, ${x.classes.length} classes): accuracy ${pct(x.value)} (${x.correct}/${x.trials} windows, ${x.folds}-fold cross-validated), chance ${pct(x.chance)}`;
}
