// The ONNX commands' path without VS Code, on the shipped models (examples/onnx/): what each command
// runs (extension/src/onnx-runners.ts, the functions the commands call after their pickers) on a
// worker, with progress; the results reach the panels in the messages their own guards accept
// (the Descriptions panel: units named node[k]; the Circuits panel: heads of the transformer);
// Record Activations writes the .npy files and activations.json it says; an input set that does
// not fit is refused with its file and line; and package.json offers the commands on .onnx files.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ONNX_COMMAND_IDS } from '../extension/src/onnx-gate';
import { onnxRunners, recordedText, type Described, type Recorded } from '../extension/src/onnx-runners';
import type { OnnxHandle } from '../extension/src/onnx-commands';
import { isCircuitsShow } from '../protocol/circuits-panel';
import type { CircuitsResult } from '../protocol/circuits';
import { isDescribePanelMessage, type DescriptionsView } from '../protocol/describe-panel';
import { ONNX_GRAPH_VIEW_TYPE } from '../protocol/onnx-editor';
import { encodeModel, node, valueInfo } from '../sim-host/src/onnx/proto';
import { ensureBuilt, repoRoot } from './helpers/build';

/** The bundled simulation worker the extension starts (ORT's .wasm beside it in dist/ort/). */
const WORKER = join(repoRoot, 'dist', 'sim-worker.js');
const CNN = join(repoRoot, 'examples', 'onnx', 'concept_cnn.onnx');
const CNN_INPUTS = join(repoRoot, 'examples', 'onnx', 'concept_cnn.inputs.npy');
const TF = join(repoRoot, 'examples', 'onnx', 'two_task_transformer.onnx');
const TASKS = ['copy', 'match'].map((t) => join(repoRoot, 'examples', 'onnx', 'two_task', `${t}.npy`));

const shown: { units?: { model: string; view: DescriptionsView; csv: string; json: string }; circuits?: { document: string; result: CircuitsResult } } = {};
const runners = onnxRunners(WORKER, {
  describer: { showModelUnits: (model, view, csv, json) => void (shown.units = { model: model.toString(), view, csv, json }) },
  circuits: { show: (document, result) => void (shown.circuits = { document, result }) },
});
const tmp = mkdtempSync(join(tmpdir(), 'spikeworks-onnx-commands-'));
const fakeUri = (f: string) => ({ toString: () => `file://${f}`, fsPath: f, path: f }) as never;

async function finish<T>(h: OnnxHandle<T>): Promise<T> {
  return h.result;
}

describe('the ONNX commands on the shipped models', { timeout: 600_000 }, () => {
  before(() => ensureBuilt());
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('Record Activations: the node picker lists the graph; chosen nodes are written as .npy with activations.json', async () => {
    const nodes = runners.nodes(CNN);
    assert.ok(nodes.length >= 5, JSON.stringify(nodes));
    const chosen = nodes.slice(0, 2).map((n) => n.name);
    const out = join(tmp, 'rec');
    let progress = 0;
    const r: Recorded = await finish(runners.record(CNN, CNN_INPUTS, out, chosen, (done, total) => {
      assert.ok(done <= total);
      progress++;
    }));
    assert.ok(progress > 0, 'progress was reported');
    const index = JSON.parse(readFileSync(join(out, 'activations.json'), 'utf8'));
    assert.deepEqual(index.nodes.map((n: { name: string }) => n.name), chosen);
    for (const n of index.nodes) assert.ok(existsSync(join(out, n.file)), n.file);
    assert.equal(r.index.count, index.count);
    assert.equal(recordedText(r.index, out), `2 nodes × ${index.count.toLocaleString('en-US')} inputs written to rec/ (activations.json).`);
  });

  it('Describe Neurons: the units of the CNN reach the Descriptions panel as a message its guard accepts', async () => {
    const d: Described = await finish(runners.describe!(CNN, CNN_INPUTS, () => {}));
    runners.showDescriptions!(fakeUri(CNN), d);
    assert.ok(shown.units);
    assert.ok(isDescribePanelMessage({ type: 'descriptions', view: shown.units.view }), 'the Descriptions panel accepts the view');
    assert.match(shown.units.csv.split('\n')[0], /population|node/i);
    assert.ok(shown.units.view.populations.length > 0);
    assert.ok(JSON.parse(shown.units.json));
  });

  it('Show Circuit Reuse: one task set per task; the result reaches the Circuits panel as a message its guard accepts', async () => {
    const r = await finish(runners.circuits!(TF, TASKS, () => {}));
    runners.showCircuits!(fakeUri(TF), r);
    assert.ok(shown.circuits);
    assert.deepEqual(shown.circuits.result.tasks.map((t) => t.task).sort(), ['copy', 'match']);
    assert.ok(isCircuitsShow({ type: 'circuits', document: shown.circuits.document, result: shown.circuits.result }));
    assert.ok(shown.circuits.result.components.some((c) => c.kind === 'head'));
  });

  it('an input set that does not fit is refused before any worker starts, naming its file and line', () => {
    const bad = join(tmp, 'bad.npy');
    copyFileSync(CNN_INPUTS, bad);
    writeFileSync(join(tmp, 'bad.csv'), 'index,label,shape\n0,square,square\n2,disc,disc\n');
    assert.throws(() => runners.record(CNN, bad, join(tmp, 'x'), undefined, () => {}), /bad\.csv:3:1: 2 rows for 288 inputs/);
    assert.ok(!existsSync(join(tmp, 'x')), 'nothing written');
    assert.throws(() => runners.nodes(join(tmp, 'bad.csv')), (e: Error) => e.message.startsWith('bad.csv: '));
    // A model the runtime could not run: refused naming the node, before any worker starts.
    const odd = join(tmp, 'odd.onnx');
    writeFileSync(odd, encodeModel({ name: 'odd', inputs: [valueInfo('x', [1, 4])], outputs: [valueInfo('y', [1, 4])], initializers: [], nodes: [node('FancyOp', ['x'], ['y'], 'my_fancy_node')] }));
    assert.throws(() => runners.describe!(odd, CNN_INPUTS, () => {}), /my_fancy_node.*FancyOp|FancyOp.*my_fancy_node/);
  });
});

describe('package.json: the ONNX commands', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  it('offers each ONNX command on .onnx files in the Explorer and the graph editor’s title, and only there', () => {
    for (const id of Object.values(ONNX_COMMAND_IDS)) {
      assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === id), `${id} is contributed`);
      const where = (menu: string) => (pkg.contributes.menus[menu] as { command: string; when?: string }[]).filter((m) => m.command === id).map((m) => m.when);
      assert.deepEqual(where('explorer/context'), ['resourceExtname == .onnx'], id);
      assert.deepEqual(where('editor/title'), [`activeCustomEditorId == ${ONNX_GRAPH_VIEW_TYPE}`], id);
      assert.deepEqual(where('commandPalette'), [`activeCustomEditorId == ${ONNX_GRAPH_VIEW_TYPE} || resourceExtname == .onnx`], id);
    }
  });
});
