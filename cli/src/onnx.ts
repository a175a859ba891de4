// `spikeworks onnx <subcommand> …`: ONNX models. One line per subcommand in ONNX_COMMANDS: its
// usage text and its entry (arguments after the subcommand's name → exit code).
import { onnxDescribeCommand, onnxRecordCommand } from './onnx-activations';

export interface OnnxSubcommand {
  usage: string;
  run: (args: string[], usage: (message: string) => never) => Promise<number>;
}

export const ONNX_COMMANDS: Record<string, OnnxSubcommand> = {
  record: { usage: 'record MODEL.onnx --inputs SET [--out DIR] [--nodes a,b]   every node\'s output (or the chosen ones) on an input set (protocol/onnx-inputs.md): one .npy per node and activations.json in DIR (default: MODEL.activations/)', run: onnxRecordCommand },
  describe: { usage: 'describe MODEL.onnx --inputs SET [--node NAME]... [--format text|json|csv] [--seed N] [--permutations N] [--exemplars K]   describe what each unit (a channel: its maximum over the image; a feature) responds to, over the inputs\' labels and concepts; exemplars are the top inputs; Ctrl-C stops it', run: onnxDescribeCommand },
};

/** `spikeworks onnx SUB …`. */
export function onnxCommand(argv: string[], usage: (message: string) => never): Promise<number> {
  const [sub, ...rest] = argv;
  const c = sub === undefined ? undefined : ONNX_COMMANDS[sub];
  if (!c) usage(sub === undefined ? `onnx needs a subcommand: ${Object.keys(ONNX_COMMANDS).join(', ')}` : `unknown onnx subcommand '${sub}' (${Object.keys(ONNX_COMMANDS).join(', ')})`);
  return c.run(rest, usage);
}

/** The help lines of every subcommand. */
export const ONNX_USAGE = Object.values(ONNX_COMMANDS).map((c) => `  spikeworks onnx ${c.usage}`).join('\n');
