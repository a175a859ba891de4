// A description result as the panel shows it (protocol/describe-panel.ts) and as CSV / JSON
// exports: one CSV row per neuron.

import type { DescribedPopulation, DescriptionsView } from '../../../../protocol/describe-panel';
import { HIGHLIGHT_MAX_UNITS, HIGHLIGHT_MAX_WINDOWS, type RasterHighlight } from '../../../../protocol/raster';
import type { WindowMeta } from './atoms';
import type { DescribeResult } from './describe';

export interface PopulationResult {
  population: string;
  result: DescribeResult;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function descriptionsView(title: string, windows: readonly WindowMeta[], source: string, atoms: number, results: readonly PopulationResult[]): DescriptionsView {
  const populations: DescribedPopulation[] = results.map(({ population, result }) => ({
    population,
    size: result.units.length,
    unselective: result.units.filter((u) => !u.selective).length,
    groups: result.groups.map((g) => {
      const us = g.units.map((u) => result.units[u]);
      return {
        formula: g.formula,
        text: g.text,
        units: g.units,
        meanScore: g.meanScore,
        meanIou: mean(us.map((u) => u.iou)),
        meanMi: mean(us.map((u) => u.mi)),
        maxP: Math.max(...us.map((u) => u.p)),
        exemplars: us[0].exemplars.map((w): [number, number] => [windows[w].start, windows[w].end]),
      };
    }),
  }));
  return { title, windows: windows.length, source, atoms, cancelled: results.some((r) => r.result.cancelled), populations };
}

const csvField = (s: string) => (/[",\n\r]/.test(s) || /^[=+\-@\t]/.test(s) ? `"${s.replace(/^([=+\-@\t])/, "'$1").replace(/"/g, '""')}"` : s);

/** One row per neuron: population, neuron, selective, formula, text, score, IoU, MI (bits), p, q. */
export function descriptionsCsv(results: readonly PopulationResult[]): string {
  const lines = ['population,neuron,selective,formula,text,score,iou,mi_bits,p,q'];
  for (const { population, result } of results) {
    for (const u of result.units) {
      lines.push([csvField(population), u.unit, u.selective, csvField(u.formula), csvField(u.text), u.score.toFixed(6), u.iou.toFixed(6), u.mi.toFixed(6), u.p.toPrecision(6), u.q.toPrecision(6)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** Everything, as `spikeworks describe --format json` writes it. */
export function descriptionsJson(model: string, windows: readonly WindowMeta[], source: string, atoms: DescribeResult['atoms'], results: readonly PopulationResult[]): string {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return JSON.stringify({
    model,
    windows: windows.length,
    source,
    atoms: atoms.map((x) => ({ name: x.name, kind: x.kind, windows: x.count })),
    params: results[0]?.result.params,
    cancelled: results.some((r) => r.result.cancelled),
    populations: results.map(({ population, result }) => ({
      population,
      units: result.units.map((u) => ({ ...u, score: round(u.score), iou: round(u.iou), mi: round(u.mi), p: round(u.p), q: round(u.q) })),
      groups: result.groups.map((g) => ({ ...g, meanScore: round(g.meanScore) })),
    })),
  });
}

/** The hover over a population: its main descriptions (plain text, never markup). */
export function populationHoverText(view: DescriptionsView, population: string, max = 5): string | undefined {
  const p = view.populations.find((x) => x.population === population);
  if (!p) return undefined;
  const lines = [`Describe Neurons (${view.title}): ${p.size - p.unselective} of ${p.size} neurons of ${population} described, ${p.unselective} unselective`];
  for (const g of [...p.groups].sort((a, b) => b.units.length - a.units.length).slice(0, max)) lines.push(`${g.units.length} × ${g.formula}: ${g.text}`);
  if (p.groups.length > max) lines.push(`… ${p.groups.length - max} more in the Descriptions panel`);
  return lines.join('\n');
}

/**
 * What the raster marks for a row of the Descriptions panel (a group, by population and formula):
 * its neurons and its first neuron's exemplar windows; undefined when the view has no such group.
 */
export function rasterHighlight(view: DescriptionsView, population: string, formula: string): RasterHighlight | undefined {
  const g = view.populations.find((p) => p.population === population)?.groups.find((x) => x.formula === formula);
  if (!g) return undefined;
  return { population, units: g.units.slice(0, HIGHLIGHT_MAX_UNITS), windows: g.exemplars.slice(0, HIGHLIGHT_MAX_WINDOWS), label: g.formula };
}
