// The Circuits panel's data side, in Node: the graph made of a result (nodes, projections as
// edges, groups tied to their population, task use, importance), the tables' rows (the formulas
// in the headers, the numbers as given), dagre's layout (boxes apart, every edge from its source
// box to its target box, self-projections as loops), arrow-key movement, the tasks the command
// offers (circuitTasks), where its refusals point (itemPlace) and the PNG check of an export.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pngBytes } from '../extension/src/panels/png';
import { circuitTasks, itemPlace, loadModel } from '../extension/src/simulation/model';
import { layoutGraph } from '../webviews/circuits/layout';
import { componentRows, defaultShow, graphOf, patchRows, REUSE_HEADER, reuseRows, taskRows, taskUse } from '../webviews/circuits/model';
import { nearestInDirection } from '../webviews/circuits/navigate';
import { circuitsFixture, circuitsFixtureLarge } from './helpers/circuits-fixture';

describe('Circuits panel: the graph and tables of a result', () => {
  const r = circuitsFixture();
  it('nodes are populations and groups, edges the projections plus a tie per group', () => {
    const g = graphOf(r);
    assert.equal(g.nodes.length, 9);
    assert.equal(g.edges.filter((e) => !e.partOf).length, 9);
    assert.deepEqual(g.edges.filter((e) => e.partOf).map((e) => `${e.from}→${e.to}`), ['pop:hub→group:hub[0..100]', 'pop:hub→group:hub[100..200]']);
    const hub = g.nodes.find((n) => n.id === 'pop:hub')!;
    assert.deepEqual(hub.tasks, [0, 1]);
    assert.equal(hub.importance, 0.41);
    assert.deepEqual(g.nodes.find((n) => n.id === 'pop:in_b')!.tasks, []);
    assert.equal(g.maxImportance, 0.41);
    assert.deepEqual(taskUse(r).get('group:hub[100..200]'), [1]);
  });
  it('circuits only: the components of some circuit and the ends of their projections; large graphs open that way', () => {
    const g = graphOf(r, 'circuits');
    assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['group:hub[0..100]', 'group:hub[100..200]', 'pop:hub', 'pop:in_a', 'pop:in_b', 'pop:out', 'pop:side_a', 'pop:side_b']);
    assert.deepEqual(g.edges.filter((e) => !e.partOf).map((e) => e.projection).sort(), ['proj:hub->out', 'proj:in_a->hub', 'proj:in_a->side_a', 'proj:in_b->side_b', 'proj:recurrent', 'proj:side_a->out']);
    assert.equal(g.edges.filter((e) => e.partOf).length, 2);
    assert.equal(defaultShow(r), 'all');
    assert.equal(defaultShow(circuitsFixtureLarge(7, 5, 2)), 'circuits');
  });
  it('an edge end the result does not list is still drawn, named from its id', () => {
    const g = graphOf({ ...r, edges: [...r.edges, { from: 'pop:ghost', to: 'pop:out', projection: 'proj:ghost->out' }] });
    const ghost = g.nodes.find((n) => n.id === 'pop:ghost')!;
    assert.equal(ghost.label, 'ghost');
    assert.equal(ghost.component, undefined);
  });
  it('tables: both reuse measures with their formulas, metrics in per cent, the control as mean ± SD', () => {
    assert.equal(REUSE_HEADER[3], 'Jaccard = |A ∩ B| / |A ∪ B|');
    assert.equal(REUSE_HEADER[4], 'overlap = |A ∩ B| / min(|A|, |B|)');
    assert.deepEqual(reuseRows(r)[0].slice(0, 5), ['left_right', 'odd_even', '4', '0.36', '0.57']);
    assert.deepEqual(taskRows(r)[0], ['left_right', 'lr_readout', 'accuracy', '95.0 %', '91.0 %', '52.0 %', '88.0 % ± 4.0 % (20 draws)', '50.0 %', '8']);
    assert.deepEqual(patchRows(r)[0].slice(3), ['49.6 %', '93.7 %', '+44.1 points']);
    const rows = componentRows(r);
    // Shared components first, then by importance; those in no circuit last, in the result's order.
    assert.deepEqual(rows.slice(0, 4).map((x) => x.id), ['pop:hub', 'group:hub[0..100]', 'proj:recurrent', 'proj:in_a->hub']);
    assert.deepEqual(rows.slice(-3).map((x) => x.id), ['proj:in_b->hub', 'proj:side_b->out', 'proj:noise->out']);
    assert.deepEqual(rows.find((x) => x.id === 'pop:hub')!.cells, ['hub', 'population', '200', '0.410', '0.360', 'left_right, odd_even (shared)']);
    assert.deepEqual(rows.find((x) => x.id === 'pop:noise')!.cells.slice(3), ['', '', 'no circuit']);
  });
});

describe('Circuits panel: the layout (dagre)', () => {
  const layout = layoutGraph(graphOf(circuitsFixture()));
  const box = (id: string) => layout.nodes.find((n) => n.id === id)!;
  const inside = (p: { x: number; y: number }, id: string, slack = 2) => {
    const n = box(id);
    return Math.abs(p.x - n.x) <= n.width / 2 + slack && Math.abs(p.y - n.y) <= n.height / 2 + slack;
  };
  it('boxes do not overlap and lie inside the drawing', () => {
    for (const a of layout.nodes) {
      assert.ok(a.x - a.width / 2 >= 0 && a.y - a.height / 2 >= 0 && a.x + a.width / 2 <= layout.width && a.y + a.height / 2 <= layout.height, a.id);
      for (const b of layout.nodes) if (a !== b) assert.ok(Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2, `${a.id} overlaps ${b.id}`);
    }
  });
  it('every edge runs from its source box to its target box; a self-projection is a loop on its box; left to right', () => {
    for (const e of layout.edges) {
      assert.ok(e.points.length >= 2, e.projection);
      assert.ok(inside(e.points[0], e.from), `${e.projection || e.to} starts at ${e.from}`);
      assert.ok(inside(e.points[e.points.length - 1], e.to), `${e.projection || e.to} ends at ${e.to}`);
    }
    const loop = layout.edges.find((e) => e.projection === 'proj:recurrent')!;
    assert.equal(loop.loop, true);
    assert.ok(loop.labelAt && loop.labelAt.y < box('pop:hub').y - box('pop:hub').height / 2, 'the loop’s label above its box');
    assert.ok(box('pop:in_a').x < box('pop:hub').x && box('pop:hub').x < box('pop:out').x, 'sources left of targets');
  });
});

describe('Circuits panel: arrow keys', () => {
  const pts = [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 90 }, { x: -50, y: 10 }, { x: 30, y: -200 }];
  it('goes to the nearest point the arrow points at, none when nothing lies that way', () => {
    assert.equal(nearestInDirection(pts[0], pts, 'right'), 1);
    assert.equal(nearestInDirection(pts[0], pts, 'left'), 3);
    assert.equal(nearestInDirection(pts[0], pts, 'up'), 4);
    assert.equal(nearestInDirection(pts[0], pts, 'down'), 2);
    assert.equal(nearestInDirection(pts[2], pts, 'down'), undefined);
  });
});

describe('Show Circuit Reuse: the tasks offered, and where a refusal points', () => {
  const model = (readouts: string) => `model m
population exc = LIF[10]
input cue = poisson[5] { rate: 10 Hz }
connect cue -> exc { rule: all_to_all; weight: 10 pA; target: I_syn }
task a {
  stimulus: [cue]
  window 0 ms .. 100 ms: "x"
  window 100 ms .. 200 ms: "y"
}
task b {
  stimulus: [cue]
  window 0 ms .. 100 ms: "x"
  window 100 ms .. 200 ms: "y"
}
${readouts}
simulate { dt: 0.1 ms; duration: 200 ms }
`;
  const tasksOf = (readouts: string) => {
    const loaded = loadModel('file:///tmp/m.snn', model(readouts));
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    return circuitTasks(loaded.ir);
  };
  it('the tasks a readout scores, each once, in the readouts’ order; none without readouts', () => {
    assert.deepEqual(tasksOf('readout rb = ridge { from: exc; task: b }\nreadout ra = ridge { from: exc; task: a }\nreadout rb2 = ridge { from: exc; task: b }'), ['b', 'a']);
    assert.deepEqual(tasksOf('readout rb = ridge { from: exc; task: b }'), ['b']);
    assert.deepEqual(tasksOf(''), []);
  });
  it('a refusal about a task is placed at the task’s line', () => {
    assert.deepEqual(itemPlace('file:///tmp/m.snn', model(''), { kind: 'task', name: 'b' }), { line: 10, column: 1 });
  });
});

describe('PNG exports', () => {
  it('a PNG data URL gives its bytes; anything else is refused', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    assert.deepEqual(pngBytes(`data:image/png;base64,${png.toString('base64')}`), png);
    assert.equal(pngBytes(`data:image/png;base64,${Buffer.from('<svg/>........').toString('base64')}`), undefined);
    assert.equal(pngBytes('data:image/jpeg;base64,AAAA'), undefined);
    assert.equal(pngBytes('javascript:alert(1)'), undefined);
  });
});
