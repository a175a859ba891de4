// A recording of ONNX activations on disk (Record Activations): one .npy per node and
// activations.json; and what Describe Neurons on an ONNX model answers. Node fs only: the
// simulation worker writes recordings without pulling in the worker-starting host (host.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DescriptionsView } from '../../protocol/describe-panel';
import type { Atom, WindowMeta } from './analysis/describe/atoms';
import type { PopulationResult } from './analysis/describe/report';
import { npyHeader } from './npy';
import { nodeUnits, type NodeRecord, type Recording } from './onnx/record';

/** One node of activations.json. */
export interface RecordIndexNode {
  name: string;
  opType: string;
  output: string;
  /** One input's output shape. */
  shape: number[];
  /** The .npy file (beside activations.json): [inputs, …shape], float32. */
  file: string;
  /** Units Describe Neurons sees (record.ts nodeUnits). */
  units: number;
}

/** activations.json. */
export interface RecordIndex {
  model: string;
  inputs: string;
  count: number;
  cancelled: boolean;
  nodes: RecordIndexNode[];
}

/** A node name as a file name: letters, digits, '.', '_' and '-' kept, the rest '_'; repeats numbered. */
function fileNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    const base = n.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'node';
    let name = `${base}.npy`;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}_${k}.npy`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** Writes a recording to `dir`: one .npy per node and activations.json; returns the index. */
export function writeRecording(dir: string, rec: Recording, model: string, inputs: string): RecordIndex {
  fs.mkdirSync(dir, { recursive: true });
  const files = fileNames(rec.nodes.map((n) => n.name));
  const nodes = rec.nodes.map((n: NodeRecord, k): RecordIndexNode => {
    const data = n.data;
    fs.writeFileSync(path.join(dir, files[k]), Buffer.concat([npyHeader(data, [rec.count, ...n.shape]), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
    return { name: n.name, opType: n.opType, output: n.output, shape: n.shape, file: files[k], units: nodeUnits({ shape: n.shape, data: new Float32Array(0) }, 0).units };
  });
  const index: RecordIndex = { model, inputs, count: rec.count, cancelled: rec.cancelled, nodes };
  fs.writeFileSync(path.join(dir, 'activations.json'), JSON.stringify(index, null, 1) + '\n');
  return index;
}

/** What Describe Neurons on an ONNX model gives: the panel's view and the results behind it. */
export interface OnnxDescribeOutput {
  view: DescriptionsView;
  results: PopulationResult[];
  windows: WindowMeta[];
  atoms: Atom[];
  cancelled: boolean;
}
