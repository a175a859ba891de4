// What the ONNX commands (onnx-commands.ts) run, wired to the engine's Node side: the model and its
// input set read from disk (bounded: sim-host/src/onnx-host.ts), then Record
// Activations, Describe Neurons and circuits (the model checked first: an operator the runtime
// lacks is refused naming its node) in a simulation worker (dist/sim-worker.js) with
// progress and cancel; the results go to the Descriptions and Circuits panels.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CircuitsResult } from '../../protocol/circuits';
import { descriptionsCsv, descriptionsJson } from '../../sim-host/src/analysis/describe/index';
import { startOnnxCircuits } from '../../sim-host/src/host';
import { readInputSet, readModelFile, readTaskSet, startOnnxDescribe, startOnnxRecord, type OnnxDescribeOutput, type RecordIndex } from '../../sim-host/src/onnx-host';
import { checkOnnx } from '../../sim-host/src/onnx/check';
import { inspectOnnx } from '../../sim-host/src/onnx/inspect';
import { graphNodes } from '../../sim-host/src/onnx/record';
import type { OnnxRunners } from './onnx-commands';
import type { CircuitsPanels } from './panels/circuits';
import type { DescribeRunner } from './simulation/describe';

/** A model's bytes, refused (naming the file and node) when the graph is unreadable or the runtime could not run it. */
function readModel(model: string): Uint8Array {
  const bytes = readModelFile(model);
  checkOnnx(inspectOnnx(bytes, path.basename(model)));
  return bytes;
}

/** The model's bytes and an input set that fits its first input (errors name the file, line and column). */
function load(model: string, inputs: string) {
  const bytes = readModel(model);
  const set = readInputSet(inputs, graphNodes(bytes).input);
  return { bytes, set };
}

/** "12 nodes × 288 inputs written to cnn-activations/ (activations.json)". */
export function recordedText(index: RecordIndex, outDir: string): string {
  return `${index.nodes.length.toLocaleString('en-US')} node${index.nodes.length === 1 ? '' : 's'} × ${index.count.toLocaleString('en-US')} inputs written to ${path.basename(outDir)}/ (activations.json)${index.cancelled ? ', stopped early' : ''}.`;
}

/** What the commands show results in (the Descriptions and Circuits panels). */
export interface OnnxResultPanels {
  describer: Pick<DescribeRunner, 'showModelUnits'>;
  circuits: Pick<CircuitsPanels, 'show'>;
}

export type Recorded = { index: RecordIndex; outDir: string };
export type Described = OnnxDescribeOutput & { model: string; inputs: string };

/** `worker`: the simulation worker (dist/sim-worker.js of the extension; tests run it from source). */
export function onnxRunners(worker: string, panels: OnnxResultPanels): OnnxRunners<Recorded, Described, CircuitsResult> {
  const { describer, circuits } = panels;
  return {
    nodes: (model) => graphNodes(readModel(model)).nodes,
    record: (model, inputs, outDir, nodes, progress) => {
      const { bytes, set } = load(model, inputs);
      const h = startOnnxRecord(bytes, set, { outDir, source: path.basename(model), ...(nodes ? { nodes: [...nodes] } : {}) }, (done, total) => progress(done, total), worker);
      return { ...h, result: h.result.then((index) => ({ index, outDir })) };
    },
    recorded: (r) => recordedText(r.index, r.outDir),
    describe: (model, inputs, progress) => {
      const { bytes, set } = load(model, inputs);
      const h = startOnnxDescribe(bytes, set, { source: path.basename(model) }, (done, total, phase, node) => progress(done, total, phase === 'describe' ? `describing ${node ?? ''}`.trim() : 'recording'), worker);
      return { ...h, result: h.result.then((out) => ({ ...out, model, inputs })) };
    },
    showDescriptions: (uri: vscode.Uri, out) => {
      const name = path.basename(out.model);
      describer.showModelUnits(uri, out.view, descriptionsCsv(out.results), descriptionsJson(name, out.windows, path.basename(out.inputs), out.atoms, out.results));
    },
    circuits: (model, taskSets, progress) => {
      const bytes = readModel(model);
      const { input } = graphNodes(bytes);
      const sets = taskSets.map((f) => readTaskSet(f, input));
      return startOnnxCircuits(bytes, sets, { source: path.basename(model) }, progress, worker);
    },
    showCircuits: (uri, result) => circuits.show(uri.toString(), result),
  };
}
