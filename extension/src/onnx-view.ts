// What the .onnx editor's page is sent: a model's OnnxGraphInfo (sim-host/src/onnx/inspect.ts)
// flattened into the view of protocol/onnx-editor.ts — graph inputs and outputs as nodes of their
// own, each op's tensors with their shapes as text, initializers folded into the ops that read
// them (counted, not drawn). Pure: no `vscode`, tested in Node.
import { MAX_ONNX_EDITOR_BYTES, type OnnxEditorMessage, type OnnxGraphView, type OnnxTensorRef, type OnnxViewNode } from '../../protocol/onnx-editor';
import type { OnnxDim, OnnxGraphInfo } from '../../protocol/onnx-graph';

export function shapeText(shape: readonly OnnxDim[] | undefined): string | undefined {
  return shape ? `[${shape.join(', ')}]` : undefined;
}

export function graphView(info: OnnxGraphInfo, source: string): OnnxGraphView {
  const inits = new Set(info.initializers.map((t) => t.name));
  const shapeOf = (name: string) => shapeText(info.shapes[name]);
  const ref = (name: string): OnnxTensorRef => {
    const shape = shapeOf(name);
    return { name, ...(shape !== undefined ? { shape } : {}), ...(inits.has(name) ? { initializer: true } : {}) };
  };
  const nodes: OnnxViewNode[] = [];
  info.inputs.forEach((v, k) => {
    const shape = shapeText(v.shape) ?? shapeOf(v.name);
    nodes.push({ id: `in:${k}`, kind: 'input', name: v.name, opType: 'Input', inputs: [], outputs: [{ name: v.name, ...(shape !== undefined ? { shape } : {}) }], attributes: [['element type', v.elemType]], params: 0, initializers: 0 });
  });
  info.nodes.forEach((n, k) => {
    nodes.push({
      id: `op:${k}`,
      kind: 'op',
      name: n.name,
      opType: n.opType,
      ...(n.domain ? { domain: n.domain } : {}),
      inputs: n.inputs.map(ref),
      outputs: n.outputs.map(ref),
      attributes: Object.entries(n.attributes),
      params: n.parameters,
      initializers: new Set(n.inputs.filter((t) => inits.has(t))).size,
    });
  });
  info.outputs.forEach((v, k) => {
    const shape = shapeText(v.shape) ?? shapeOf(v.name);
    nodes.push({ id: `out:${k}`, kind: 'output', name: v.name, opType: 'Output', inputs: [{ name: v.name, ...(shape !== undefined ? { shape } : {}) }], outputs: [], attributes: [['element type', v.elemType]], params: 0, initializers: 0 });
  });
  const notes: string[] = [];
  const unknown = new Set(info.nodes.flatMap((n) => n.outputs.filter((t) => t && !info.shapes[t])));
  if (unknown.size) notes.push(`The shapes of ${unknown.size.toLocaleString('en-US')} tensor${unknown.size === 1 ? '' : 's'} are neither declared in the file nor inferred here: they read “?”.`);
  const opsets = info.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ');
  return { source, graphName: info.graphName, producer: info.producer, irVersion: info.irVersion, opsets, totalParams: info.parameters, nodes, notes };
}

/**
 * Reads a model through `read` (after its size, when known, is within the editor's bound) and
 * inspects it: the graph, or the error as text. `check` (sim-host/src/onnx/check.ts checkOnnx)
 * adds a note when the runtime could not run the graph. Never throws.
 */
export async function editorMessage(source: string, size: number | undefined, read: () => Promise<Uint8Array>, inspect: (bytes: Uint8Array, source: string) => OnnxGraphInfo | Promise<OnnxGraphInfo>, max = MAX_ONNX_EDITOR_BYTES, check?: (info: OnnxGraphInfo) => void): Promise<OnnxEditorMessage> {
  const tooLarge = (n: number) => `${source}: ${(n / 2 ** 20).toFixed(1)} MiB is more than the ${(max / 2 ** 20).toFixed(0)} MiB the editor reads; “spikeworks onnx inspect” reads larger models.`;
  if (size !== undefined && size > max) return { type: 'error', source, message: tooLarge(size) };
  let bytes: Uint8Array;
  try {
    bytes = await read();
  } catch (e) {
    return { type: 'error', source, message: `${source}: could not be read: ${(e as Error).message}` };
  }
  if (bytes.length > max) return { type: 'error', source, message: tooLarge(bytes.length) };
  try {
    const info = await inspect(bytes, source);
    const view = graphView(info, source);
    // A graph the runtime could not run is still shown, with why (the node named) above it.
    try {
      check?.(info);
    } catch (e) {
      view.notes.unshift(`The model commands cannot run this model: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { type: 'graph', view };
  } catch (e) {
    // OnnxError's message names the file and, where known, the node; anything else is said as it is, after the file's name.
    const text = e instanceof Error ? e.message : String(e);
    return { type: 'error', source, message: text.startsWith(source) ? text : `${source}: ${text}` };
  }
}
