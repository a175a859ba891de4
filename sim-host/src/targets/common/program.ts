// What the chips' conversions (loihi2/convert.ts, spinnaker2/convert.ts) share beyond
// core/lif-eval.ts (the LIF equations as numbers, the NaN refusal): the quantisation step they
// report, the fields of a converted connection, where a connection's refusal points.
import type { ReportQuantStep } from '../../../../protocol/target-report';
import type { PlanWhere } from '../../core/limits';

/** One quantisation step: the ideal value, what the chip uses, and the relative error (the report's own type). */
export type QuantStep = ReportQuantStep;

/** A converted connection's rows (plan indices and local ranges, CSR) and delays. */
export interface ChipConnection {
  name: string;
  source: number;
  target: number;
  src: [number, number];
  tgt: [number, number];
  rowptr: Int32Array;
  col: Int32Array;
  /** Ticks (past the chip's fixed lead), per synapse or one for all. */
  delay: number | Int32Array;
  maxDelay: number;
}

/** |used − ideal| / |ideal|; 0 when both are 0. */
export const relError = (used: number, ideal: number) => (ideal === 0 ? (used === 0 ? 0 : Infinity) : Math.abs(used - ideal) / Math.abs(ideal));

/** One number when every entry is the same, else the list (target.json). */
export const uniqInts = (a: Int32Array) => (a.every((x) => x === a[0]) ? a[0] ?? 0 : [...a]);

/** Where a connection's refusal points: the connection by name (or index) and a property of it. */
export const connectionWhere = (name: string | undefined, index: number, property?: string): PlanWhere => ({ kind: 'connection', ...(name !== undefined ? { name } : {}), index, ...(property ? { property } : {}) });
