// `spikeworks onnx <sub> …`: commands on ONNX models (sim-host/src/onnx). One line per subcommand
// in ONNX_COMMANDS; each gets its arguments and the usage function, and returns the exit code.
import { onnxDescribeCommand, onnxRecordCommand } from './onnx-activations';

type Usage = (message: string) => never;
export type OnnxSubcommand = (args: string[], usage: Usage) => Promise<number>;

export const ONNX_USAGE = `  spikeworks onnx record <file.onnx> --inputs SET [--out DIR] [--nodes a,b]
                                                         every node's output (or the chosen ones) on an input set
                                                         (a .npy with its sidecar .csv, or one .csv: protocol/
                                                         onnx-inputs.md): one .npy per node and activations.json
                                                         in DIR (default MODEL.activations/); Ctrl-C stops it
  spikeworks onnx describe <file.onnx> --inputs SET [--node NAME]... [--format text|json|csv] [--seed N]
                 [--permutations N] [--exemplars K]
                                                         what each unit responds to (a channel: its maximum over
                                                         the image; a feature: itself), as formulas over the
                                                         inputs' labels and concepts; exemplars are the top
                                                         inputs; unselective units say so; Ctrl-C stops it`;

/** The subcommands, one line each. */
export const ONNX_COMMANDS: Record<string, OnnxSubcommand> = {
  record: onnxRecordCommand,
  describe: onnxDescribeCommand,
};

export async function onnxCommand(rest: string[], usage: Usage): Promise<number> {
  const [sub, ...args] = rest;
  const cmd = sub ? ONNX_COMMANDS[sub] : undefined;
  if (!cmd) usage(sub ? `unknown onnx subcommand '${sub}' (${Object.keys(ONNX_COMMANDS).join(', ')})` : `onnx needs a subcommand (${Object.keys(ONNX_COMMANDS).join(', ')})`);
  return cmd(args, usage);
}
