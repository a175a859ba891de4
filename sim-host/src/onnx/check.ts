// Checks a model against what onnxruntime-web can load (ops.ts) before the runtime sees it, so that
// the message names the file and the node: an operator the runtime lacks, an opset it refuses, an
// input no node, initializer or graph input provides. Pure.
import type { OnnxGraphInfo } from '../../../protocol/onnx-graph.js';
import { OnnxError } from './errors.js';
import { NO_TYPE } from './inspect.js';
import { MAX_OPSET, REMOVED_OPS, RUNTIME_DOMAINS, STANDARD_OPS } from './ops.js';

const isDefault = (d: string) => d === '' || d === 'ai.onnx';

/** Throws OnnxError at the first thing the runtime would refuse. */
export function checkOnnx(info: OnnxGraphInfo): void {
  const src = info.source;
  const opset = info.opsets.find((o) => isDefault(o.domain))?.version;
  if (opset === undefined) throw new OnnxError(src, 'the model imports no opset for the default ONNX domain');
  if (opset < 1 || opset > MAX_OPSET) throw new OnnxError(src, `the model uses ONNX opset ${opset}; onnxruntime-web runs opsets 1 to ${MAX_OPSET}`);
  const known = new Set<string>([...info.inputs.map((i) => i.name), ...info.initializers.map((i) => i.name)]);
  for (const n of info.nodes) for (const o of n.outputs) if (o) known.add(o);
  for (const n of info.nodes) {
    const where = { node: n.name, op: n.opType };
    if (!n.opType) throw new OnnxError(src, `node ${n.name} has no operator type`, where);
    if (isDefault(n.domain)) {
      const since = STANDARD_OPS.get(n.opType);
      if (since === undefined) throw new OnnxError(src, `operator ${n.opType} (domain ai.onnx) in node ${n.name} is not supported by onnxruntime-web`, where);
      if (since > opset) throw new OnnxError(src, `operator ${n.opType} in node ${n.name} needs opset ${since} or later; the model imports opset ${opset}`, where);
      const removed = REMOVED_OPS.get(n.opType);
      if (removed && opset >= removed.since) throw new OnnxError(src, `operator ${n.opType} in node ${n.name} was removed from ONNX at opset ${removed.since} (use ${removed.use}); the model imports opset ${opset}`, where);
    } else if (!RUNTIME_DOMAINS.includes(n.domain)) {
      throw new OnnxError(src, `operator ${n.opType} (domain ${n.domain}) in node ${n.name} is not supported by onnxruntime-web`, where);
    } else if (!info.opsets.some((o) => o.domain === n.domain)) {
      throw new OnnxError(src, `node ${n.name} uses domain ${n.domain}, which the model does not import`, where);
    }
    for (const [k, v] of Object.entries(n.attributes)) if (v === NO_TYPE) throw new OnnxError(src, `attribute "${k}" of node ${n.name} has no type (the file is damaged or was written by a broken exporter)`, where);
    for (const i of n.inputs) if (i && !known.has(i)) throw new OnnxError(src, `input "${i}" of node ${n.name} is not a graph input, an initializer or any node's output`, where);
  }
  for (const o of info.outputs) if (!known.has(o.name)) throw new OnnxError(src, `graph output "${o.name}" is not produced by any node`);
}
