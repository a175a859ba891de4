// The Circuits panel's view type and the state it keeps (extension/src/simulation/circuits.ts ↔
// webviews/circuits/): the message and requests are protocol/circuits.ts's; the extension also
// tells the page which model the result is of, so that a panel revived after a window reload
// (WebviewPanelSerializer) reveals definitions in the same file. Checked on arrival.
import { isCircuitsPanelMessage, isCircuitsResult, type CircuitComponent, type CircuitsPanelMessage, type CircuitsResult } from './circuits';

export const CIRCUITS_VIEW_TYPE = 'spikeworks.circuits';

/** extension → panel: the result and the model's URI. */
export type CircuitsShow = CircuitsPanelMessage & { document: string };

export function isCircuitsShow(m: unknown): m is CircuitsShow {
  return isCircuitsPanelMessage(m) && typeof (m as { document?: unknown }).document === 'string';
}

/** What the page keeps with getState/setState: the model, the result, the component last focused and what the graph shows. */
export interface CircuitsPanelState {
  document: string;
  result: CircuitsResult;
  selected?: string;
  /** Every component in the graph, or only those in a circuit (absent: by the graph's size). */
  show?: 'all' | 'circuits';
}

export function isCircuitsPanelState(s: unknown): s is CircuitsPanelState {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  return typeof o.document === 'string' && isCircuitsResult(o.result) && (o.selected === undefined || typeof o.selected === 'string') && (o.show === undefined || o.show === 'all' || o.show === 'circuits');
}

/**
 * The component a `reveal` request names: the result's own entry, else what its id says
 * (`pop:exc`, `group:exc[0..49]`; a projection's id alone does not say its ends).
 */
export function componentFor(result: CircuitsResult, id: string): Pick<CircuitComponent, 'kind' | 'label' | 'population' | 'target'> | undefined {
  const listed = result.components.find((c) => c.id === id);
  if (listed) return listed;
  const pop = /^pop:(.+)$/.exec(id);
  if (pop) return { kind: 'population', label: pop[1], population: pop[1] };
  const group = /^group:([^[]+)\[/.exec(id);
  if (group) return { kind: 'group', label: id.slice(6), population: group[1] };
  return undefined;
}
