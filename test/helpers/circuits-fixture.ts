// A CircuitsResult built by hand for the Circuits panel's tests and screenshots: two tasks
// (`left_right` and `odd_even`) over a network of 7 populations, 2 groups and 9 projections,
// with a shared sub-circuit (`hub`, its first half, `in_a → hub`, `hub → hub`), parts used by one
// task only, and parts used by none. `hostile` puts markup into names the panel must show as text.
import type { CircuitsResult } from '../../protocol/circuits';

export function circuitsFixture(o: { hostile?: boolean } = {}): CircuitsResult {
  const bad = o.hostile ? '<img src=x onerror="window.__hacked=1">' : 'noise';
  const proj = (from: string, to: string, size: number, name?: string) => ({ id: `proj:${name ?? `${from}->${to}`}`, kind: 'projection' as const, label: name ?? `${from}->${to}`, population: from, target: to, size });
  const components = [
    { id: 'pop:in_a', kind: 'population' as const, label: 'in_a', population: 'in_a', size: 100 },
    { id: 'pop:in_b', kind: 'population' as const, label: 'in_b', population: 'in_b', size: 100 },
    { id: 'pop:hub', kind: 'population' as const, label: 'hub', population: 'hub', size: 200 },
    { id: 'group:hub[0..100]', kind: 'group' as const, label: 'hub[0..100]', population: 'hub', range: [0, 100] as [number, number], size: 100 },
    { id: 'group:hub[100..200]', kind: 'group' as const, label: 'hub[100..200]', population: 'hub', range: [100, 200] as [number, number], size: 100 },
    { id: 'pop:side_a', kind: 'population' as const, label: 'side_a', population: 'side_a', size: 80 },
    { id: 'pop:side_b', kind: 'population' as const, label: 'side_b', population: 'side_b', size: 80 },
    { id: `pop:${bad}`, kind: 'population' as const, label: bad, population: bad, size: 50 },
    { id: 'pop:out', kind: 'population' as const, label: 'out', population: 'out', size: 40 },
    proj('in_a', 'hub', 2000),
    proj('in_b', 'hub', 2000),
    proj('hub', 'hub', 4000, 'recurrent'),
    proj('in_a', 'side_a', 800),
    proj('in_b', 'side_b', 800),
    proj('hub', 'out', 1600),
    proj('side_a', 'out', 640),
    proj('side_b', 'out', 640),
    proj(bad, 'out', 400),
  ];
  const edges = components.filter((c) => c.kind === 'projection').map((c) => ({ from: `pop:${c.population}`, to: `pop:${(c as { target: string }).target}`, projection: c.id }));
  const a = ['pop:hub', 'group:hub[0..100]', 'proj:recurrent', 'proj:in_a->hub', 'pop:side_a', 'proj:in_a->side_a', 'proj:side_a->out', 'proj:hub->out'];
  const b = ['pop:hub', 'group:hub[0..100]', 'proj:recurrent', 'proj:in_a->hub', 'pop:side_b', 'proj:in_b->side_b', 'group:hub[100..200]'];
  const imp = (ids: string[], base: number) => Object.fromEntries(ids.map((id, k) => [id, +(base - k * 0.03).toFixed(3)]));
  const taskB = o.hostile ? '<b>odd_even</b>' : 'odd_even';
  return {
    source: 'two_tasks.snn',
    intervention: 'mean',
    threshold: 0.05,
    seed: 7,
    components,
    edges,
    tasks: [
      { task: 'left_right', readout: 'lr_readout', components: a, importance: imp(a, 0.41), metric: { name: 'accuracy', clean: 0.95, circuitOnly: 0.91, circuitAblated: 0.52, control: { mean: 0.88, sd: 0.04, draws: 20 }, chance: 0.5 } },
      { task: taskB, readout: 'oe_readout', components: b, importance: imp(b, 0.36), metric: { name: 'accuracy', clean: 0.9, circuitOnly: 0.86, circuitAblated: 0.27, control: { mean: 0.81, sd: 0.05, draws: 20 }, chance: 0.25 } },
    ],
    reuse: [{ a: 'left_right', b: taskB, shared: ['pop:hub', 'group:hub[0..100]', 'proj:recurrent', 'proj:in_a->hub'], jaccard: 4 / 11, overlap: 4 / 7 }],
    patches: [{ from: 'left_right', to: taskB, components: ['pop:hub', 'group:hub[0..100]', 'proj:recurrent', 'proj:in_a->hub'], before: 0.496, after: 0.937 }],
    runs: 412,
    seconds: 18.4,
    cancelled: false,
  };
}

/**
 * A larger generated result for screenshots and timing: `layers` layers of `width` populations,
 * each projecting to two populations of the next layer, `tasks` tasks each holding a path through
 * the layers (neighbouring tasks share part of theirs). Deterministic.
 */
export function circuitsFixtureLarge(layers = 6, width = 5, tasks = 4): CircuitsResult {
  const pop = (l: number, k: number) => `L${l}_${k}`;
  const components: CircuitsResult['components'] = [];
  const edges: CircuitsResult['edges'] = [];
  for (let l = 0; l < layers; l++) for (let k = 0; k < width; k++) components.push({ id: `pop:${pop(l, k)}`, kind: 'population', label: pop(l, k), population: pop(l, k), size: 50 + 10 * k });
  for (let l = 0; l + 1 < layers; l++) for (let k = 0; k < width; k++) for (const d of [0, 1]) {
    const from = pop(l, k);
    const to = pop(l + 1, (k + d) % width);
    const id = `proj:${from}->${to}`;
    components.push({ id, kind: 'projection', label: `${from}->${to}`, population: from, target: to, size: 400 });
    edges.push({ from: `pop:${from}`, to: `pop:${to}`, projection: id });
  }
  const taskList = Array.from({ length: tasks }, (_, t) => {
    const ids: string[] = [];
    for (let l = 0; l < layers; l++) {
      const k = (t + (l > layers / 2 ? 1 : 0)) % width;
      ids.push(`pop:${pop(l, k)}`);
      if (l + 1 < layers) {
        const next = (t + (l + 1 > layers / 2 ? 1 : 0)) % width;
        if (next === k || next === (k + 1) % width) ids.push(`proj:${pop(l, k)}->${pop(l + 1, next)}`);
      }
    }
    const importance = Object.fromEntries(ids.map((id, k) => [id, +(0.05 + ((k * 37 + t * 11) % 40) / 100).toFixed(3)]));
    return { task: `task_${t}`, readout: `r${t}`, components: ids, importance, metric: { name: 'accuracy', clean: 0.9, circuitOnly: 0.85, circuitAblated: 0.3, control: { mean: 0.8, sd: 0.05, draws: 20 }, chance: 0.25 } };
  });
  const reuse = [];
  for (let a = 0; a < tasks; a++) for (let b = a + 1; b < tasks; b++) {
    const A = new Set(taskList[a].components);
    const B = taskList[b].components;
    const shared = B.filter((x) => A.has(x));
    const union = new Set([...A, ...B]).size;
    reuse.push({ a: taskList[a].task, b: taskList[b].task, shared, jaccard: shared.length / union, overlap: shared.length / Math.min(A.size, B.length) });
  }
  return { source: 'layers.snn', intervention: 'silence', threshold: 0.05, seed: 1, components, edges, tasks: taskList, reuse, patches: [], runs: 1000, seconds: 42, cancelled: false };
}
