// `spikeworks onnx <sub> …`: commands on ONNX models (sim-host/src/onnx). One line per subcommand
// in ONNX_COMMANDS; each gets its arguments and the usage function, and returns the exit code.
import { readOnnxFile } from '../../io/onnx-file';
import { quote } from '../../protocol/plain-text';
import type { OnnxDim, OnnxGraphInfo } from '../../protocol/onnx-graph';
import { OnnxError } from '../../sim-host/src/onnx/errors';
import { inspectOnnx } from '../../sim-host/src/onnx/inspect';
import { configureOrt, OnnxSession, type FloatTensor } from '../../sim-host/src/onnx/runtime';
import { onnxDescribeCommand, onnxRecordCommand } from './onnx-activations';
import { onnxCircuitsCommand, ONNX_CIRCUITS_USAGE } from './onnx-circuits';

type Usage = (message: string) => never;
export type OnnxSubcommand = (args: string[], usage: Usage) => Promise<number>;

export const ONNX_USAGE = `  spikeworks onnx inspect <file.onnx> [--format text|json] [--run] [--threads N]
                                                         an ONNX model's inputs, outputs, shapes (declared or
                                                         inferred), parameters, operator histogram and nodes;
                                                         --run also runs it once in onnxruntime-web on zeros
                                                         (symbolic sizes 1) and prints its outputs' shapes
  spikeworks onnx record <file.onnx> --inputs SET [--out DIR] [--nodes a,b]
                                                         every node's output (or the chosen ones) on an input set
                                                         (a .npy with its sidecar .csv, or one .csv: protocol/
                                                         onnx-inputs.md): one .npy per node and activations.json
                                                         in DIR (default MODEL.activations/); Ctrl-C stops it
  spikeworks onnx describe <file.onnx> --inputs SET [--node NAME]... [--format text|json|csv] [--seed N]
                 [--permutations N] [--exemplars K]
                                                         what each unit responds to (a channel: its maximum over
                                                         the image; a feature: itself), as formulas over the
                                                         inputs' labels and concepts; exemplars are the top
                                                         inputs; unselective units say so; Ctrl-C stops it
${ONNX_CIRCUITS_USAGE}`;

/** The subcommands, one line each. */
export const ONNX_COMMANDS: Record<string, OnnxSubcommand> = {
  inspect: inspectCommand,
  record: onnxRecordCommand,
  describe: onnxDescribeCommand,
  circuits: onnxCircuitsCommand,
};

export async function onnxCommand(rest: string[], usage: Usage): Promise<number> {
  const [sub, ...args] = rest;
  const cmd = sub ? ONNX_COMMANDS[sub] : undefined;
  if (!cmd) usage(sub ? `unknown onnx subcommand '${sub}' (${Object.keys(ONNX_COMMANDS).join(', ')})` : `onnx needs a subcommand (${Object.keys(ONNX_COMMANDS).join(', ')})`);
  return cmd(args, usage);
}

/** Options shared by onnx subcommands: files, --format, --threads and flags. */
export function parseOnnxArgs(args: string[], usage: Usage, flags: readonly string[] = []): { files: string[]; format: 'text' | 'json'; threads?: number; flags: Set<string> } {
  const files: string[] = [];
  let format: 'text' | 'json' = 'text';
  let threads: number | undefined;
  const set = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format') {
      const f = args[++i];
      if (f !== 'text' && f !== 'json') usage(`--format must be text or json, got ${f ?? 'nothing'}`);
      format = f;
    } else if (a === '--threads') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 64) usage(`--threads must be a whole number from 1 to 64, got ${args[i] ?? 'nothing'}`);
      threads = n;
    } else if (flags.includes(a)) set.add(a);
    else if (a.startsWith('-')) usage(`unknown option '${a}'`);
    else files.push(a);
  }
  return { files, format, threads, flags: set };
}

const dims = (s: readonly OnnxDim[] | undefined) => (s ? `[${s.map((d) => quote(String(d), 40)).join(', ')}]` : '[?]');

/** The inspect report as plain text (names are quoted: control characters dropped, long ones cut). */
export function inspectText(g: OnnxGraphInfo): string {
  const q = (s: string) => quote(s, 80);
  const lines: string[] = [];
  const opsets = g.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ');
  lines.push(`${q(g.source)}: ONNX IR ${g.irVersion}, opset ${opsets}${g.producer ? `, producer ${q(g.producer)}` : ''}${g.graphName ? `, graph ${q(g.graphName)}` : ''}`);
  lines.push('inputs:');
  for (const v of g.inputs) lines.push(`  ${q(v.name)}  ${v.elemType} ${dims(v.shape)}`);
  lines.push('outputs:');
  for (const v of g.outputs) lines.push(`  ${q(v.name)}  ${v.elemType} ${dims(v.shape)}`);
  lines.push(`parameters: ${g.parameters.toLocaleString('en-US')} in ${g.initializers.length} initializer${g.initializers.length === 1 ? '' : 's'}`);
  lines.push(`operators: ${g.ops.map((o) => `${q(o.opType)} ${o.count}`).join(', ')}`);
  lines.push(`nodes (${g.nodes.length}):`);
  for (const n of g.nodes) {
    const out = n.outputs.map((o) => `${q(o)} ${dims(g.shapes[o])}`).join(', ');
    const attrs = Object.entries(n.attributes).map(([k, v]) => `${q(k)}=${q(v)}`).join(' ');
    lines.push(`  ${q(n.name)}  ${q(n.domain ? `${n.domain}.${n.opType}` : n.opType)}  ${n.inputs.map(q).join(', ')} -> ${out}${n.parameters ? `  ${n.parameters.toLocaleString('en-US')} params` : ''}${attrs ? `  ${attrs}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** Zeros for every input (symbolic and unknown sizes 1). */
function zeroFeeds(g: OnnxGraphInfo): Record<string, FloatTensor> {
  const feeds: Record<string, FloatTensor> = {};
  for (const v of g.inputs) {
    const d = (v.shape ?? []).map((x) => (typeof x === 'number' ? x : 1));
    feeds[v.name] = { data: new Float32Array(d.reduce((a, b) => a * b, 1)), dims: d };
  }
  return feeds;
}

async function inspectCommand(args: string[], usage: Usage): Promise<number> {
  const o = parseOnnxArgs(args, usage, ['--run']);
  if (o.files.length !== 1) usage('onnx inspect needs exactly one file');
  const file = o.files[0];
  try {
    const bytes = readOnnxFile(file);
    const g = inspectOnnx(bytes, file);
    let ran: { outputs: Record<string, number[]>; ms: number; threads: number } | undefined;
    if (o.flags.has('--run')) {
      configureOrt({ numThreads: o.threads ?? 1 });
      const s = await OnnxSession.create(bytes, { source: file });
      const t0 = performance.now();
      const r = await s.run(zeroFeeds(g));
      ran = { outputs: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.dims])), ms: performance.now() - t0, threads: o.threads ?? 1 };
      await s.release();
    }
    if (o.format === 'json') process.stdout.write(JSON.stringify(ran ? { ...g, run: ran } : g) + '\n');
    else {
      process.stdout.write(inspectText(g));
      if (ran) process.stdout.write(`run on zeros (onnxruntime-web, ${ran.threads} thread${ran.threads === 1 ? '' : 's'}): ${Object.entries(ran.outputs).map(([k, d]) => `${quote(k, 80)} ${dims(d)}`).join(', ')} in ${ran.ms.toFixed(1)} ms\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof OnnxError) {
      process.stderr.write(`spikeworks: ${quote(e.message, 1000)}\n`);
      return 1;
    }
    throw e;
  }
}
