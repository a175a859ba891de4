// From a model and its run to the analysis' input: the windows (task windows with their labels,
// concepts added where they overlap; without task windows, bins of the run labelled by concepts)
// and spike counts per neuron per window. Problems are data (what is wrong and what to add), so
// the CLI and the panel can say them with the model's place; nothing here reads files.

import type { ModelIR } from '../../../../protocol/ir';
import type { PopulationSpikes } from '../../../../protocol/sim';
import { normaliseLabel, type WindowMeta } from './atoms';

export interface WindowProblem {
  code: 'no-windows' | 'outside-run' | 'empty-population' | 'not-recorded' | 'unknown-population' | 'few-windows';
  message: string;
  /** Where in the model it comes from: a task (and its window index), a population. */
  task?: string;
  window?: number;
  population?: string;
}

export interface ModelWindows {
  windows: WindowMeta[];
  /** Where the windows come from: task names, or 'bins'. */
  source: string;
  problems: WindowProblem[];
}

const fmt = (s: number) => (s >= 1 ? `${+s.toFixed(4)} s` : `${+(s * 1000).toFixed(3)} ms`);

/** The windows a model defines for a run of `duration` seconds (`bin`: for concept-only models). */
export function modelWindows(ir: Pick<ModelIR, 'tasks' | 'concepts'>, duration: number, bin = 0.05): ModelWindows {
  const problems: WindowProblem[] = [];
  const byRange = new Map<string, WindowMeta & { labels: string[] }>();
  for (const t of ir.tasks) {
    t.windows.forEach((w, i) => {
      if (w.to > duration + 1e-12) {
        problems.push({ code: 'outside-run', task: t.name, window: i, message: `window ${i + 1} of task ${t.name} (${fmt(w.from)} .. ${fmt(w.to)}) ends after the run (${fmt(duration)}): shorten the window or lengthen simulate { duration }` });
        return;
      }
      const key = `${w.from}:${w.to}`;
      let m = byRange.get(key);
      if (!m) byRange.set(key, (m = { start: w.from, end: w.to, labels: [] }));
      for (const l of w.labels ?? [w.label]) if (!m.labels.includes(normaliseLabel(l))) m.labels.push(normaliseLabel(l));
    });
  }
  let windows = [...byRange.values()].sort((a, b) => a.start - b.start || a.end - b.end);
  let source = ir.tasks.filter((t) => t.windows.length).map((t) => t.name).join(', ');
  if (windows.length === 0 && problems.length === 0) {
    if (ir.concepts.length === 0) {
      problems.push({ code: 'no-windows', message: 'the model has no task windows and no concepts, so there is nothing to describe units by: add a task (task trials { stimulus: cue; window 0 ms .. 100 ms: "A" }) or a concept (concept edge { stimulus: cue; during: 100 ms .. 200 ms })' });
      return { windows: [], source: '', problems };
    }
    const n = Math.floor(duration / bin + 1e-9);
    windows = Array.from({ length: n }, (_, i) => ({ start: i * bin, end: (i + 1) * bin, labels: [] }));
    source = `bins of ${fmt(bin)}`;
  }
  for (const c of ir.concepts) {
    for (const w of windows) {
      const overlap = Math.min(w.end, c.to) - Math.max(w.start, c.from);
      if (overlap >= 0.5 * (w.end - w.start) - 1e-12 && !w.labels.includes(c.name)) (w.labels as string[]).push(c.name);
    }
  }
  if (windows.length > 0 && windows.length < 10) problems.push({ code: 'few-windows', message: `only ${windows.length} windows (${source}): descriptions need repeated conditions; give the task more windows (at least a few per label)` });
  return { windows, source, problems };
}

/** Spike counts of `spikes` (one population) per neuron per window: counts[neuron · windows + window]. */
export function spikeCounts(spikes: PopulationSpikes, dt: number, windows: readonly WindowMeta[]): Float32Array {
  const W = windows.length;
  const counts = new Float32Array(spikes.size * W);
  const order = windows.map((w, i) => ({ w, i })).sort((a, b) => a.w.start - b.w.start);
  const starts = order.map((o) => o.w.start);
  let maxLen = 0;
  for (const w of windows) maxLen = Math.max(maxLen, w.end - w.start);
  for (let s = 0; s < spikes.steps.length; s++) {
    const t = spikes.steps[s] * dt;
    // The last window starting at or before t, then back over the ones that may still contain it.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= t + 1e-12) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && t - starts[k] < maxLen + 1e-12; k--) {
      const o = order[k];
      if (t >= o.w.start - 1e-12 && t < o.w.end - 1e-12) counts[spikes.neurons[s] * W + o.i]++;
    }
  }
  return counts;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** 1-based line and column of the n-th match of `re` (multiline) in `text`, or 1:1. */
function placeIn(text: string, re: RegExp, nth = 0): { line: number; column: number } {
  const g = new RegExp(re.source, 'gm');
  let m: RegExpExecArray | null = null;
  for (let k = 0; k <= nth; k++) {
    m = g.exec(text);
    if (!m) break;
  }
  const at = m ? m.index + (m[0].length - m[0].trimStart().length) : 0;
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Where in the model's text a problem comes from (1-based): a task's window, a population's
 * definition, the `simulate` block for a model with nothing to describe by, else the first task.
 */
export function problemPlace(text: string, p: Pick<WindowProblem, 'code' | 'task' | 'window' | 'population'>): { line: number; column: number } {
  if (p.task !== undefined && p.window !== undefined) {
    const start = new RegExp(`^\\s*task\\s+${escapeRe(p.task)}\\b`, 'm').exec(text)?.index ?? 0;
    const before = (text.slice(0, start).match(/^\s*window\b/gm) ?? []).length;
    return placeIn(text, /^\s*window\b/, before + p.window);
  }
  if (p.population) return placeIn(text, new RegExp(`^\\s*population\\s+${escapeRe(p.population)}\\b`));
  if (p.code === 'no-windows' || p.code === 'not-recorded') return placeIn(text, /^\s*simulate\b/);
  return placeIn(text, /^\s*task\b/);
}

/** The populations to describe: `wanted`, else every population whose spikes are recorded; or what is wrong. */
export function describablePopulations(ir: Pick<ModelIR, 'populations' | 'probes'>, wanted: readonly string[]): { names: string[]; problems: WindowProblem[] } {
  const recorded = new Set(ir.probes.filter((p) => p.variable === 'spikes').flatMap((p) => p.targets.map((t) => t.name)));
  const all = ir.populations.map((p) => p.name);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) return { names: [], problems: unknown.map((w) => ({ code: 'unknown-population', message: `no population ${w} in the model (populations: ${all.join(', ') || 'none'})` })) };
  const names = wanted.length ? [...wanted] : all.filter((n) => recorded.has(n));
  if (names.length === 0) return { names, problems: [{ code: 'not-recorded', message: `no population's spikes are recorded: add probe spikes(${all[0] ?? 'population'})` }] };
  const problems: WindowProblem[] = [];
  for (const n of names) {
    if (ir.populations.find((p) => p.name === n)!.size === 0) problems.push({ code: 'empty-population', population: n, message: `population ${n} has no neurons: give it a size` });
    else if (!recorded.has(n)) problems.push({ code: 'not-recorded', population: n, message: `the spikes of ${n} are not recorded: add probe spikes(${n})` });
  }
  return { names: problems.length ? [] : names, problems };
}
