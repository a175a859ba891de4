// The .onnx custom editor's channel (extension/src/onnx-editor.ts ↔ webviews/onnx-graph/): the
// host parses the model (sim-host/src/onnx/inspect.ts) and sends the page a flat view of the graph
// — ops with their tensors and shapes, graph inputs and outputs, initializers folded into the ops
// that read them — or the error text; the page asks for nothing but `ready` and the three model
// commands. Every message is checked on arrival; every string is shown as text.

export const ONNX_GRAPH_VIEW_TYPE = 'spikeworks.onnxGraph';

/** Files larger than this are not parsed in the editor (the message says so). */
export const MAX_ONNX_EDITOR_BYTES = 128 * 1024 * 1024;

/** A tensor an op reads or writes; `shape` as text (`[N, 3, 16, 16]`), absent when unknown. */
export interface OnnxTensorRef {
  name: string;
  shape?: string;
  /** An initializer (weights): folded into the op, not drawn as an edge. */
  initializer?: boolean;
}

export interface OnnxViewNode {
  /** Unique in the view: `op:<k>`, `in:<k>`, `out:<k>` (k: the index among the graph’s nodes, inputs, outputs). */
  id: string;
  kind: 'op' | 'input' | 'output';
  /** The node's name (synthesised `Conv_3` where the file has none); a graph input's or output's tensor name. */
  name: string;
  /** The op type; `Input` / `Output` for graph inputs and outputs. */
  opType: string;
  domain?: string;
  inputs: OnnxTensorRef[];
  outputs: OnnxTensorRef[];
  /** Attributes as [name, short plain text]. */
  attributes: [string, string][];
  /** Parameters in the initializers it reads. */
  params: number;
  /** How many initializers it reads. */
  initializers: number;
}

export interface OnnxGraphView {
  /** The file's name (no directory). */
  source: string;
  graphName: string;
  producer: string;
  irVersion: number;
  /** Opset imports as text, e.g. `ai.onnx 17`. */
  opsets: string;
  totalParams: number;
  nodes: OnnxViewNode[];
  /** Things the host wants said above the graph (shapes not inferred, …). */
  notes: string[];
}

/** host → page. */
export type OnnxEditorMessage = { type: 'graph'; view: OnnxGraphView } | { type: 'error'; source: string; message: string };

/** The model commands the page offers (the extension's spikeworks.onnx.* commands). */
export type OnnxCommand = 'record' | 'describe' | 'circuits';
export const ONNX_COMMANDS: readonly OnnxCommand[] = ['record', 'describe', 'circuits'];

/** page → host. */
export type OnnxEditorRequest = { type: 'ready' } | { type: 'command'; command: OnnxCommand };

/** What the page keeps with getState/setState across reloads (the graph is sent again on `ready`). */
export interface OnnxEditorState {
  selected?: string;
  filter?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isTensorRef(v: unknown): v is OnnxTensorRef {
  return isObj(v) && isStr(v.name) && (v.shape === undefined || isStr(v.shape)) && (v.initializer === undefined || typeof v.initializer === 'boolean');
}

function isViewNode(v: unknown): v is OnnxViewNode {
  return (
    isObj(v) &&
    isStr(v.id) &&
    (v.kind === 'op' || v.kind === 'input' || v.kind === 'output') &&
    isStr(v.name) &&
    isStr(v.opType) &&
    (v.domain === undefined || isStr(v.domain)) &&
    Array.isArray(v.inputs) &&
    v.inputs.every(isTensorRef) &&
    Array.isArray(v.outputs) &&
    v.outputs.every(isTensorRef) &&
    Array.isArray(v.attributes) &&
    v.attributes.every((a) => Array.isArray(a) && a.length === 2 && isStr(a[0]) && isStr(a[1])) &&
    isCount(v.params) &&
    isCount(v.initializers)
  );
}

export function isOnnxGraphView(v: unknown): v is OnnxGraphView {
  if (!isObj(v)) return false;
  if (!(isStr(v.source) && isStr(v.graphName) && isStr(v.producer) && isCount(v.irVersion) && isStr(v.opsets) && isCount(v.totalParams))) return false;
  if (!Array.isArray(v.notes) || !v.notes.every(isStr) || !Array.isArray(v.nodes) || !v.nodes.every(isViewNode)) return false;
  return new Set(v.nodes.map((n) => (n as OnnxViewNode).id)).size === v.nodes.length;
}

export function isOnnxEditorMessage(m: unknown): m is OnnxEditorMessage {
  if (!isObj(m)) return false;
  if (m.type === 'graph') return isOnnxGraphView(m.view);
  return m.type === 'error' && isStr(m.source) && isStr(m.message);
}

export function isOnnxEditorRequest(m: unknown): m is OnnxEditorRequest {
  if (!isObj(m)) return false;
  if (m.type === 'ready') return true;
  return m.type === 'command' && ONNX_COMMANDS.includes(m.command as OnnxCommand);
}

export function isOnnxEditorState(s: unknown): s is OnnxEditorState {
  return isObj(s) && (s.selected === undefined || isStr(s.selected)) && (s.filter === undefined || isStr(s.filter));
}
