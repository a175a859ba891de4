// The Descriptions panel's channel (extension/src/simulation/describe.ts → webviews/describe/):
// per population, groups of neurons sharing a description and the unselective count; the panel
// asks for CSV / JSON exports and for a group's neurons and exemplar windows marked in the raster. Plain data, checked on arrival; every string is shown as text.

export interface DescribedGroup {
  formula: string;
  text: string;
  /** Neuron indices in the population. */
  units: number[];
  meanScore: number;
  meanIou: number;
  meanMi: number;
  /** The largest p-value among its neurons. */
  maxP: number;
  /** The first neuron's exemplar windows as [start, end] seconds, most active first. */
  exemplars: [number, number][];
}

export interface DescribedPopulation {
  population: string;
  size: number;
  unselective: number;
  groups: DescribedGroup[];
}

export interface DescriptionsView {
  title: string;
  windows: number;
  source: string;
  atoms: number;
  cancelled: boolean;
  populations: DescribedPopulation[];
}

/** extension → panel */
export type DescribePanelMessage = { type: 'descriptions'; view: DescriptionsView };
/** panel → extension: `raster` asks for the run's raster with a group (by population and formula) marked. */
export type DescribePanelRequest = { type: 'ready' } | { type: 'export'; format: 'csv' | 'json' } | { type: 'raster'; population: string; formula: string };

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';

function isGroup(g: unknown): g is DescribedGroup {
  if (typeof g !== 'object' || g === null) return false;
  const x = g as Partial<DescribedGroup>;
  return str(x.formula) && str(x.text) && Array.isArray(x.units) && x.units.every(num) && num(x.meanScore) && num(x.meanIou) && num(x.meanMi) && num(x.maxP)
    && Array.isArray(x.exemplars) && x.exemplars.every((e) => Array.isArray(e) && e.length === 2 && num(e[0]) && num(e[1]));
}

export function isDescribePanelMessage(m: unknown): m is DescribePanelMessage {
  if (typeof m !== 'object' || m === null || (m as { type?: unknown }).type !== 'descriptions') return false;
  const v = (m as { view?: unknown }).view as Partial<DescriptionsView> | undefined;
  if (typeof v !== 'object' || v === null) return false;
  if (!str(v.title) || !str(v.source) || !num(v.windows) || !num(v.atoms) || typeof v.cancelled !== 'boolean' || !Array.isArray(v.populations)) return false;
  return v.populations.every((p: Partial<DescribedPopulation>) => typeof p === 'object' && p !== null && str(p.population) && num(p.size) && num(p.unselective) && Array.isArray(p.groups) && p.groups.every(isGroup));
}

export function isDescribePanelRequest(m: unknown): m is DescribePanelRequest {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready') return true;
  if (t === 'raster') return str((m as { population?: unknown }).population) && str((m as { formula?: unknown }).formula);
  const f = (m as { format?: unknown }).format;
  return t === 'export' && (f === 'csv' || f === 'json');
}
