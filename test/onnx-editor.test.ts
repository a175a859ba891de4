// The .onnx editor without a browser or VS Code: the host's view of a model (extension/src/onnx-view.ts
// over inspectOnnx — ids, initializers folded and counted, parameters, shapes as text, notes), the
// size bound and read failures as messages, the protocol's guards (protocol/onnx-editor.ts), the
// page's pure parts (webviews/onnx-graph/model.ts: edges, histogram, matches, stepping, the layout
// window, arrow-key neighbours), the ONNX commands' target and refusals (extension/src/onnx-gate.ts),
// and package.json's custom editor and command contributions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { editorMessage, graphView, shapeText } from '../extension/src/onnx-view';
import { ONNX_COMMAND_IDS, onnxRefusal, onnxTarget } from '../extension/src/onnx-gate';
import { inspectInWorker } from '../extension/src/onnx-inspect';
import { isOnnxEditorMessage, isOnnxEditorRequest, isOnnxEditorState, isOnnxGraphView, ONNX_GRAPH_VIEW_TYPE, type OnnxGraphView } from '../protocol/onnx-editor';
import { checkOnnx } from '../sim-host/src/onnx/check';
import { inspectOnnx } from '../sim-host/src/onnx/inspect';
import { encodeModel, node, valueInfo } from '../sim-host/src/onnx/proto';
import { layoutGraph } from '../webviews/onnx-graph/layout';
import { edgesOf, matches, neighbour, opHistogram, stepMatch, windowOf } from '../webviews/onnx-graph/model';
import { ensureBuilt, repoRoot } from './helpers/build';
import { chain, convNet } from './helpers/onnx-editor-models';

const view = (bytes: Uint8Array, name = 'm.onnx'): OnnxGraphView => graphView(inspectOnnx(bytes, name), name);

describe('the .onnx editor: the host’s view of a model', () => {
  it('a conv net: graph input and output as nodes, initializers folded into their ops with their parameters, shapes as text', () => {
    const v = view(convNet(), 'tiny_cnn.onnx');
    assert.ok(isOnnxGraphView(v));
    assert.deepEqual(v.nodes.map((n) => `${n.id} ${n.kind} ${n.opType} ${n.name}`), ['in:0 input Input image', 'op:0 op Conv conv1', 'op:1 op Relu relu1', 'op:2 op MaxPool pool1', 'op:3 op Flatten flatten', 'op:4 op Gemm fc', 'op:5 op Softmax softmax', 'out:0 output Output probs']);
    const conv = v.nodes[1];
    assert.deepEqual(conv.inputs, [{ name: 'image', shape: '[N, 3, 8, 8]' }, { name: 'conv.w', shape: '[4, 3, 3, 3]', initializer: true }, { name: 'conv.b', shape: '[4]', initializer: true }]);
    assert.equal(conv.params, 4 * 3 * 3 * 3 + 4);
    assert.equal(conv.initializers, 2);
    assert.deepEqual(conv.attributes, [['kernel_shape', '[3, 3]'], ['pads', '[1, 1, 1, 1]']]);
    assert.equal(v.nodes[5].params, 5 * 64 + 5);
    assert.equal(v.totalParams, 437);
    assert.equal(v.opsets, 'ai.onnx 17');
    assert.deepEqual(v.notes, []);
    // Seven edges; none for a weight.
    const e = edgesOf(v.nodes);
    assert.deepEqual(e.map((x) => `${x.from}>${x.to}:${x.tensor}`), ['in:0>op:0:image', 'op:0>op:1:conv_out', 'op:1>op:2:relu_out', 'op:2>op:3:pool_out', 'op:3>op:4:flat', 'op:4>op:5:logits', 'op:5>out:0:probs']);
    assert.equal(e[4].shape, '[N, 64]');
    assert.deepEqual(opHistogram(v.nodes), [['Conv', 1], ['Flatten', 1], ['Gemm', 1], ['MaxPool', 1], ['Relu', 1], ['Softmax', 1]]);
    assert.equal(shapeText(undefined), undefined);
    assert.equal(shapeText([]), '[]');
  });

  it('the file is read only within the size bound; unreadable and broken files are messages naming the file', async () => {
    let reads = 0;
    const read = async () => (reads++, convNet());
    const big = await editorMessage('big.onnx', 2000, read, inspectOnnx, 1000);
    assert.equal(reads, 0);
    assert.equal(big.type, 'error');
    // A size not known before reading (a virtual file system) is checked after.
    const after = await editorMessage('grew.onnx', undefined, read, inspectOnnx, 100);
    assert.equal(reads, 1);
    assert.match(after.type === 'error' ? after.message : '', /^grew\.onnx: 0\.0 MiB is more than/);
    const gone = await editorMessage('gone.onnx', undefined, async () => { throw new Error('ENOENT: no such file'); }, inspectOnnx);
    assert.deepEqual(gone, { type: 'error', source: 'gone.onnx', message: 'gone.onnx: could not be read: ENOENT: no such file' });
    const thrown = await editorMessage('odd.onnx', 10, async () => new Uint8Array(10), () => { throw new TypeError('x is undefined'); });
    assert.deepEqual(thrown, { type: 'error', source: 'odd.onnx', message: 'odd.onnx: x is undefined' });
    for (const m of [big, after, gone, thrown]) assert.ok(isOnnxEditorMessage(m));
    // An operator the runtime lacks: the graph is shown, with a note naming the node.
    const odd = encodeModel({ name: 'odd', inputs: [valueInfo('x', [1, 4])], outputs: [valueInfo('y', [1, 4])], initializers: [], nodes: [node('FancyOp', ['x'], ['y'], 'my_fancy_node')] });
    const noted = await editorMessage('odd.onnx', odd.length, async () => odd, inspectOnnx, undefined, checkOnnx);
    assert.equal(noted.type, 'graph');
    assert.equal(noted.type === 'graph' && noted.view.notes[0], 'The model commands cannot run this model: odd.onnx: operator FancyOp (domain ai.onnx) in node my_fancy_node is not supported by onnxruntime-web');
    assert.equal(noted.type === 'graph' && noted.view.nodes.length, 3);
    const ok = await editorMessage('tiny.onnx', 10, read, inspectOnnx);
    assert.equal(ok.type, 'graph');
    assert.ok(isOnnxEditorMessage(ok));
  });
});

describe('the .onnx editor: the graph read off the extension host’s thread (dist/onnx-inspect.js)', () => {
  it('gives what inspectOnnx gives, the same error text for a broken file, and a time limit', async () => {
    ensureBuilt();
    const worker = join(repoRoot, 'dist', 'onnx-inspect.js');
    assert.deepEqual(await inspectInWorker(convNet(), 'tiny.onnx', worker), inspectOnnx(convNet(), 'tiny.onnx'));
    const broken = convNet().slice(0, 300);
    let direct = '';
    try {
      inspectOnnx(broken, 'cut.onnx');
    } catch (e) {
      direct = (e as Error).message;
    }
    assert.match(direct, /^cut\.onnx: /);
    await assert.rejects(inspectInWorker(broken, 'cut.onnx', worker), (e: Error) => e.message === direct);
    const m = await editorMessage('cut.onnx', broken.length, async () => broken, (b, n) => inspectInWorker(b, n, worker));
    assert.deepEqual(m, { type: 'error', source: 'cut.onnx', message: direct });
    await assert.rejects(inspectInWorker(chain(2000), 'long.onnx', worker, 5), /took longer than 0 s/);
  });
});

describe('the .onnx editor: protocol guards', () => {
  it('accept what the host sends and the page asks; refuse malformed messages', () => {
    const v = view(convNet());
    assert.ok(isOnnxEditorMessage({ type: 'graph', view: v }));
    assert.ok(!isOnnxEditorMessage({ type: 'graph', view: { ...v, nodes: [...v.nodes, v.nodes[0]] } }), 'duplicate ids');
    assert.ok(!isOnnxEditorMessage({ type: 'graph', view: { ...v, totalParams: -1 } }));
    assert.ok(!isOnnxEditorMessage({ type: 'graph', view: { ...v, nodes: [{ ...v.nodes[1], kind: 'weird' }] } }));
    assert.ok(!isOnnxEditorMessage({ type: 'graph', view: { ...v, nodes: [{ ...v.nodes[1], attributes: [['a']] }] } }));
    assert.ok(!isOnnxEditorMessage({ type: 'graph', view: { ...v, nodes: [{ ...v.nodes[1], inputs: [{ name: 3 }] }] } }));
    assert.ok(!isOnnxEditorMessage({ type: 'error', source: 'x' }));
    assert.ok(!isOnnxEditorMessage(null));
    assert.ok(isOnnxEditorRequest({ type: 'ready' }));
    for (const c of ['record', 'describe', 'circuits']) assert.ok(isOnnxEditorRequest({ type: 'command', command: c }));
    assert.ok(!isOnnxEditorRequest({ type: 'command', command: 'rm -rf' }));
    assert.ok(!isOnnxEditorRequest({ type: 'export' }));
    assert.ok(isOnnxEditorState({}) && isOnnxEditorState({ selected: 'op:1', filter: 'relu' }));
    assert.ok(!isOnnxEditorState({ selected: 1 }) && !isOnnxEditorState('x'));
  });
});

describe('the .onnx editor page’s pure parts', () => {
  const v = view(chain(4));
  it('matches by op type, node name and tensor name, case-insensitive; steps wrap', () => {
    assert.deepEqual(matches(v.nodes, 'RELU'), ['op:2', 'op:5', 'op:8', 'op:11']);
    assert.deepEqual(matches(v.nodes, 'block1/'), ['op:3', 'op:4', 'op:5']);
    assert.deepEqual(matches(v.nodes, 'mm2'), ['op:6', 'op:7'], 'the MatMul writes it, the Add reads it');
    assert.deepEqual(matches(v.nodes, 'w3'), ['op:9'], 'an initializer finds the op that reads it');
    assert.deepEqual(matches(v.nodes, '  '), []);
    const f = ['a', 'b', 'c'];
    assert.equal(stepMatch(f, undefined, 1), 'a');
    assert.equal(stepMatch(f, 'x', -1), 'c');
    assert.equal(stepMatch(f, 'c', 1), 'a');
    assert.equal(stepMatch(f, 'a', -1), 'c');
    assert.equal(stepMatch([], 'a', 1), undefined);
  });

  it('the layout window: the whole graph when small; else a bounded run of nodes around the focus, clamped at the ends', () => {
    assert.equal(windowOf(v.nodes, undefined).nodes.length, v.nodes.length);
    const big = view(chain(100)).nodes; // 302 nodes
    assert.deepEqual([windowOf(big, undefined, 50).start, windowOf(big, undefined, 50).nodes.length], [0, 50]);
    assert.equal(windowOf(big, 'op:150', 50).start, 151 + 1 - 25 - 1);
    assert.ok(windowOf(big, 'op:150', 50).nodes.some((n) => n.id === 'op:150'));
    assert.equal(windowOf(big, 'out:0', 50).start, 302 - 50);
  });

  it('arrow keys: ↓ a consumer, ↑ a producer, ← / → the nearest node that way; laid out top to bottom', () => {
    const cnn = view(convNet());
    const e = edgesOf(cnn.nodes);
    const layout = layoutGraph(cnn.nodes, e);
    const placed = layout.nodes.map((p) => ({ id: p.node.id, x: p.x, y: p.y }));
    for (let k = 1; k < placed.length; k++) assert.ok(placed[k].y > placed[k - 1].y);
    assert.equal(neighbour('op:0', e, placed, 'down'), 'op:1');
    assert.equal(neighbour('op:0', e, placed, 'up'), 'in:0');
    assert.equal(neighbour('in:0', e, placed, 'up'), undefined);
    assert.equal(neighbour('op:0', e, placed, 'left'), undefined, 'a chain has nothing beside it');
    const side = [{ id: 'a', x: 0, y: 0 }, { id: 'b', x: 100, y: 5 }, { id: 'c', x: 50, y: 200 }];
    assert.equal(neighbour('a', [], side, 'right'), 'b');
    assert.equal(neighbour('b', [], side, 'left'), 'a');
    assert.equal(neighbour('c', [], side, 'right'), 'b', 'none level with it: the nearest that way');
    assert.equal(layout.edges.length, 7);
    assert.ok(layout.edges.every((x) => x.points.length >= 2));
  });
});

describe('the ONNX commands: target and refusals', () => {
  const file = { scheme: 'file', path: '/w/models/cnn.onnx' };
  it('act on the URI they are given, else the graph editor last active', () => {
    const active = { scheme: 'file', path: '/w/other.onnx' };
    assert.equal(onnxTarget(file, active), file);
    assert.equal(onnxTarget(undefined, active), active);
    assert.equal(onnxTarget('not a uri', undefined), undefined);
  });
  it('need a .onnx file on disk and a trusted workspace, and say so', () => {
    assert.equal(onnxRefusal('record', file, true), undefined);
    assert.equal(onnxRefusal('record', file, false), 'Record Activations runs cnn.onnx and reads input files, so it needs a trusted workspace: trust this folder (Manage Workspace Trust) and run it again. The graph view works without trust.');
    assert.match(onnxRefusal('describe', undefined, true) ?? '', /^Describe Neurons: open a \.onnx model/);
    assert.equal(onnxRefusal('circuits', { scheme: 'file', path: '/w/net.snn' }, true), 'Show Circuit Reuse works on .onnx models; net.snn is not one.');
    assert.match(onnxRefusal('record', { scheme: 'vscode-vfs', path: '/r/cnn.onnx' }, true) ?? '', /needs cnn\.onnx on this machine's disk/);
  });
});

describe('package.json: the custom editor and the ONNX commands', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  it('opens *.onnx in the graph editor by default', () => {
    assert.deepEqual(pkg.contributes.customEditors, [{ viewType: ONNX_GRAPH_VIEW_TYPE, displayName: 'ONNX Graph (Spikeworks)', selector: [{ filenamePattern: '*.onnx' }], priority: 'default' }]);
    assert.ok(pkg.activationEvents.includes(`onCustomEditor:${ONNX_GRAPH_VIEW_TYPE}`));
  });
});
