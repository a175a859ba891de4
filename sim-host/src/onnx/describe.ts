// Describe Neurons on an ANN's units: recorded activations (record.ts) → the describe core's
// Activity (units × "windows", one window per input) and WindowMeta (the input's label and
// concepts; no temporal atoms: inputs are not a time series), then describeUnits unchanged. A
// unit's exemplars are its top inputs. Window i spans [i, i+1) so that exemplars read as input
// indices. Activations are scaled per unit so that its largest value is 63: the order of inputs
// (exemplars, IoU) is kept exactly and the core's mutual information, which bins activity as
// integers 0–63, sees the unit's whole range rather than floor(x) of raw activations; a unit
// that is never above 0 has no active inputs and is unselective.

import { buildAtoms, type Atom, type WindowMeta } from '../analysis/describe/atoms';
import { describeUnitsAsync, type Activity, type DescribeOptions } from '../analysis/describe/describe';
import type { PopulationResult } from '../analysis/describe/report';
import { inputLabels, type InputSet } from './input-set';
import { nodeUnits, type NodeRecord } from './record';

/** One window per input, labelled with its label and concepts. */
export function inputWindows(set: Pick<InputSet, 'count' | 'labels' | 'concepts'>): WindowMeta[] {
  return inputLabels(set).map((labels, i) => ({ start: i, end: i + 1, labels }));
}

/** A recorded node's units as the describe core's activity (scaled per unit; see the file's head). */
export function unitActivity(r: Pick<NodeRecord, 'shape' | 'data'>, count: number): Activity {
  const { units, values } = nodeUnits(r, count);
  const counts = new Float64Array(units * count);
  for (let u = 0; u < units; u++) {
    let max = 0;
    for (let i = 0; i < count; i++) max = Math.max(max, values[u * count + i]);
    const scale = max > 0 && Number.isFinite(max) ? 63 / max : 1;
    for (let i = 0; i < count; i++) {
      const v = values[u * count + i];
      counts[u * count + i] = Number.isFinite(v) ? v * scale : 0;
    }
  }
  return { units, windows: count, counts };
}

export interface OnnxDescribeOptions extends Omit<DescribeOptions, 'onProgress'> {
  /** Units done of all the nodes' units, and the node being described. */
  onProgress?: (done: number, total: number, node: string) => void;
}

export interface OnnxDescription {
  /** One per node, named by the node; a unit's index is its channel or feature (`node[unit]`). */
  results: PopulationResult[];
  windows: WindowMeta[];
  atoms: Atom[];
  cancelled: boolean;
}

/** Describes every unit of every recorded node against the input set's labels and concepts. */
export async function describeRecording(nodes: readonly NodeRecord[], set: Pick<InputSet, 'count' | 'labels' | 'concepts'>, options: OnnxDescribeOptions = {}): Promise<OnnxDescription> {
  const windows = inputWindows(set);
  const atoms = buildAtoms(windows, { temporal: false });
  const activities = nodes.map((n) => unitActivity(n, set.count));
  const total = activities.reduce((a, x) => a + x.units, 0);
  const results: PopulationResult[] = [];
  let before = 0;
  let cancelled = false;
  for (let k = 0; k < nodes.length; k++) {
    if (options.shouldStop?.()) {
      cancelled = true;
      break;
    }
    const { onProgress, ...rest } = options;
    const result = await describeUnitsAsync(activities[k], atoms, { ...rest, onProgress: (done) => onProgress?.(before + done, total, nodes[k].name) });
    results.push({ population: nodes[k].name, result });
    before += activities[k].units;
    if (result.cancelled) {
      cancelled = true;
      break;
    }
  }
  return { results, windows, atoms: atoms.atoms, cancelled };
}
