// A readout's score on a run (sim-host/src/analysis/readout): what the worker adds to a run's
// output, the CLI prints, summary.json holds (protocol/results.md) and the panels show as text.
// Two kinds: a ridge readout is trained on the run and cross-validated (`folds` ≥ 2); an ONNX
// readout (kind 'onnx') is a fixed model applied to every window once (`folds` 0, `model` its file).

/** A readout's accuracy on its task's windows: cross-validated (ridge) or of a fixed model (onnx). */
export interface ReadoutScore {
  readout: string;
  /** Absent in runs stored before ONNX readouts: ridge. */
  kind?: 'ridge' | 'onnx';
  /** An ONNX readout's model file, as the readout names it. */
  model?: string;
  task: string;
  metric: 'accuracy';
  /** Correct predictions over trials (0 … 1). */
  value: number;
  correct: number;
  /** The task's windows. */
  trials: number;
  /** The accuracy of always answering the most frequent class (1/classes when balanced). */
  chance: number;
  /** Cross-validation folds; 0 for a fixed (ONNX) model, which is not trained on the run. */
  folds: number;
  /** Class names (window labels) in the order their first window appears. */
  classes: string[];
}

/** A readout's score, or why it was not evaluated (the message names the readout). */
export type ReadoutOutcome = ReadoutScore | { readout: string; error: string };

export function isReadoutScore(x: ReadoutOutcome): x is ReadoutScore {
  return !('error' in x);
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/**
 * One plain line: "readout r (task t, 4 classes): accuracy 85.0 % (17/20 windows, 5-fold
 * cross-validated), chance 25.0 %" — "(17/20 windows, ONNX model clf.onnx)" for a fixed model —
 * or "not evaluated: " and why (the error names the readout).
 */
export function readoutLine(x: ReadoutOutcome): string {
  if (!isReadoutScore(x)) return `not evaluated: ${x.error}`;
  const how = x.kind === 'onnx' ? `ONNX model ${x.model ?? ''}`.trimEnd() : `${x.folds}-fold cross-validated`;
  return `readout ${x.readout} (task ${x.task}, ${x.classes.length} classes): accuracy ${pct(x.value)} (${x.correct}/${x.trials} windows, ${how}), chance ${pct(x.chance)}`;
}

/** Short, for a panel's header: "r 85.0 % (chance 25.0 %)", or "r: not evaluated". */
export function readoutShort(x: ReadoutOutcome): string {
  return isReadoutScore(x) ? `${x.readout} ${pct(x.value)} (chance ${pct(x.chance)})` : `${x.readout}: not evaluated`;
}

/** Whether `x` has a ReadoutOutcome's shape (messages and stored runs are checked before use). */
export function isReadoutOutcome(x: unknown): x is ReadoutOutcome {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  if (typeof o.readout !== 'string') return false;
  if ('error' in o) return typeof o.error === 'string';
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (o.kind !== undefined && o.kind !== 'ridge' && o.kind !== 'onnx') return false;
  if (o.model !== undefined && typeof o.model !== 'string') return false;
  return typeof o.task === 'string' && o.metric === 'accuracy' && num(o.value) && num(o.correct) && num(o.trials) && num(o.chance) && num(o.folds) && Array.isArray(o.classes) && o.classes.every((c) => typeof c === 'string');
}
