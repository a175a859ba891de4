// Interventions as one graph edit (RESEARCH.md §D, "ONNX adaptation"): every intervenable value y
// (an attention head's output, a layer's units) is renamed y.clean and replaced by
// y = Where(Cast(mask:y → bool), patch:y, y.clean), with `mask:y` (float: [1], or one entry per
// unit on its axis) and `patch:y` (float,
// broadcast against y) extra graph inputs. One session then serves every ablation and patch:
// mask 0 passes the value through unchanged (bit for bit), mask 1 takes the patch — zeros, the
// value's mean, or the value recorded on other inputs. Pure: bytes in, bytes out.
import { BOOL, decodeModel, FLOAT, node, onnx } from './proto';

/** Heads are the node outputs named `<layer>.H<k>` (the builder's convention, build/transformer.ts). */
const HEAD = /^(.+)\.H(\d+)$/;

export interface Intervenable {
  /** The component id: `head:L1.H0`. */
  id: string;
  /** The value (node output) it replaces. */
  value: string;
  /** The layer (for a head: the name before `.H<k>`). */
  layer: string;
}

/** The model's attention heads, in graph order. */
export function headsOf(bytes: Uint8Array): Intervenable[] {
  const g = decodeModel(bytes).graph;
  const out: Intervenable[] = [];
  for (const n of g?.node ?? []) {
    for (const o of n.output ?? []) {
      const m = HEAD.exec(o);
      if (m) out.push({ id: `head:${o}`, value: o, layer: m[1] });
    }
  }
  return out;
}

export const maskInput = (value: string) => `mask:${value}`;
export const patchInput = (value: string) => `patch:${value}`;

/**
 * The model with a Where before every consumer of each value in `values`. Throws when a value is
 * not a node output of the graph or is a graph output itself (nothing to intervene on upstream).
 */
export function withMasks(bytes: Uint8Array, values: readonly string[]): Uint8Array {
  const m = decodeModel(bytes);
  const g = m.graph!;
  const nodes = g.node ?? [];
  const added: typeof nodes = [];
  for (const v of values) {
    const producer = nodes.find((n) => (n.output ?? []).includes(v));
    if (!producer) throw new Error(`no node output named '${v}' to intervene on`);
    const clean = `${v}.clean`;
    producer.output = producer.output!.map((o) => (o === v ? clean : o));
    const flag = `${maskInput(v)}.bool`;
    added.push(node('Cast', [maskInput(v)], [flag], `${maskInput(v)}.cast`, { to: BOOL }), node('Where', [flag, patchInput(v), clean], [v], `intervene:${v}`));
    // Shapes left open: a mask is [1] (the whole value) or one entry per unit/channel on its axis;
    // a patch broadcasts against the value.
    g.input!.push(onnx.ValueInfoProto.create({ name: maskInput(v), type: { tensorType: { elemType: FLOAT } } }), onnx.ValueInfoProto.create({ name: patchInput(v), type: { tensorType: { elemType: FLOAT } } }));
  }
  // Each Where right after its producer keeps the node list topologically sorted.
  const wanted = new Set(values);
  const order: typeof nodes = [];
  for (const n of nodes) {
    order.push(n);
    for (const o of n.output ?? []) {
      const v = o.slice(0, -'.clean'.length);
      if (!o.endsWith('.clean') || !wanted.has(v)) continue;
      order.push(...added.filter((a) => a.output![0] === v || a.output![0] === `${maskInput(v)}.bool`));
    }
  }
  g.node = order;
  return onnx.ModelProto.encode(m).finish();
}
