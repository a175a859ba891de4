// Named things the checker knows about, and where they are defined.
import type { Span } from './ast';
import type { Dim } from './units';

export type SymKind =
  | 'neuron' | 'synapse' | 'population' | 'connection' | 'input' | 'readout' | 'task' | 'concept' | 'target'
  | 'parameter' | 'state' | 'alias' | 'model';

export interface Sym {
  kind: SymKind;
  name: string;
  uri: string;
  /** The defining identifier. */
  span: Span;
  /** The whole definition (for document symbols and folding). */
  full: Span;
  doc?: string;
  dim?: Dim | null;
  /** Default / constant value in SI units. */
  value?: number;
  /** Owning model for parameters, state variables and named expressions. */
  container?: string;
  /** One-line summary for hover and completion, e.g. "neuron CobaLIF[3200]". */
  detail?: string;
}

export function symKey(s: Sym): string {
  return `${s.uri}#${s.span.start}`;
}
