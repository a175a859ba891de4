// Which model the ONNX commands act on and whether they may: Record Activations, Describe Neurons
// and Show Circuit Reuse run the model and read input-set files, so they need a trusted workspace
// and a .onnx file on disk (the runtime reads it in a worker); the .onnx editor itself only parses
// and works untrusted. Pure (no `vscode`): tested in Node.
import type { OnnxCommand } from '../../protocol/onnx-editor';

export const ONNX_COMMAND_IDS: Record<OnnxCommand, string> = {
  record: 'spikeworks.onnx.recordActivations',
  describe: 'spikeworks.onnx.describeNeurons',
  circuits: 'spikeworks.onnx.showCircuitReuse',
};

export const ONNX_COMMAND_TITLES: Record<OnnxCommand, string> = {
  record: 'Record Activations',
  describe: 'Describe Neurons',
  circuits: 'Show Circuit Reuse',
};

/** The parts of a vscode.Uri read here. */
export interface UriLike {
  scheme: string;
  path: string;
}

const isUri = (v: unknown): v is UriLike => typeof v === 'object' && v !== null && typeof (v as UriLike).scheme === 'string' && typeof (v as UriLike).path === 'string';

/** The command's model: the URI it was run on (Explorer, editor title, the editor's buttons), else the .onnx editor last active. */
export function onnxTarget<U extends UriLike>(arg: unknown, active: U | undefined): U | undefined {
  return isUri(arg) ? (arg as U) : active;
}

/** Why `command` cannot run on `uri` (undefined: it can). */
export function onnxRefusal(command: OnnxCommand, uri: UriLike | undefined, trusted: boolean): string | undefined {
  const title = ONNX_COMMAND_TITLES[command];
  if (!uri) return `${title}: open a .onnx model (or pick one in the Explorer) first.`;
  const name = uri.path.split('/').pop() ?? uri.path;
  if (!/\.onnx$/i.test(name)) return `${title} works on .onnx models; ${name} is not one.`;
  if (!trusted) return `${title} runs ${name} and reads input files, so it needs a trusted workspace: trust this folder (Manage Workspace Trust) and run it again. The graph view works without trust.`;
  if (uri.scheme !== 'file') return `${title} needs ${name} on this machine's disk (it is a ${uri.scheme}: resource).`;
  return undefined;
}
