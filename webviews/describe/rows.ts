// The Descriptions panel's rows: filtered and sorted groups (pure, tested in Node).
import type { DescribedGroup, DescriptionsView } from '../../protocol/describe-panel';

export type SortKey = 'score' | 'neurons' | 'formula';
export interface Row {
  population: string;
  group: DescribedGroup;
}

/** Rows matching `filter` (case-insensitive, in the population, formula or text), sorted. */
export function rowsOf(view: DescriptionsView, filter: string, sort: SortKey): Row[] {
  const f = filter.trim().toLowerCase();
  const rows = view.populations.flatMap((p) => p.groups.map((group) => ({ population: p.population, group })));
  const kept = f ? rows.filter((r) => `${r.population} ${r.group.formula} ${r.group.text}`.toLowerCase().includes(f)) : rows;
  const by: Record<SortKey, (a: Row, b: Row) => number> = {
    score: (a, b) => b.group.meanScore - a.group.meanScore,
    neurons: (a, b) => b.group.units.length - a.group.units.length,
    formula: (a, b) => a.group.formula.localeCompare(b.group.formula),
  };
  return kept.sort((a, b) => by[sort](a, b) || a.population.localeCompare(b.population));
}

