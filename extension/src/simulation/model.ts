// A document's model for a run, without VS Code types: check and lower the editor's text (it
// may be unsaved), find its `simulate` blocks and population definitions, list the data files
// it reads, name the units of probed variables. Uses the language's own code (as the CLI does).
// Files are read through a bounded host (io/safe-read.ts): regular files only, sizes checked
// before reading, and data files (anything but a .snn) only once the workspace is trusted and
// only inside the folders given.
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { readTextBounded, type ReadRefusal } from '../../../io/safe-read';
import type { DimIR, ModelIR, ValueIR } from '../../../protocol/ir';
import type { TraceInfo } from '../../../protocol/panel-data';
import type { SnnFile } from '../../../language-server/src/ast';
import { lower } from '../../../language-server/src/lower';
import { loadPrelude } from '../../../language-server/src/node-host';
import { parse } from '../../../language-server/src/parser';
import { MAX_DATA_BYTES, MAX_FILE_BYTES, Program, type Host, type PreludeFile } from '../../../language-server/src/program';
import { LineIndex } from '../../../language-server/src/text';

let prelude: PreludeFile[] | undefined;

export interface Place {
  uri: string;
  /** 0-based, as in LSP. */
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Which files a model's check may read besides .snn imports. */
export interface ReadPolicy {
  /** Data files (`from_file` values) are read only in a trusted workspace. */
  trusted: boolean;
  /** When given, data files must lie inside one of these folders (after resolving symlinks). */
  roots?: readonly string[];
}

/** A file the host did not read, and why (the message names the path, never its contents). */
export interface Declined {
  file: string;
  reason: ReadRefusal | 'untrusted';
  message: string;
}

export type LoadResult =
  | { ok: true; ir: ModelIR }
  | { ok: false; errors: { uri: string; line: number; message: string }[]; declined: Declined[] };

const isModelFile = (fsPath: string) => /\.snn$/i.test(fsPath);

/**
 * A Host that reads model files (imports, up to the checker's size limit) and — when the policy
 * allows — data files (up to the value-file limit, inside the roots), never anything else;
 * every file it does not read is listed in `declined`.
 */
export function boundedHost(policy: ReadPolicy, declined: Declined[] = []): Host {
  return {
    readFile(uri: string): string | undefined {
      let file: string;
      try {
        const u = URI.parse(uri);
        if (u.scheme !== 'file') return undefined;
        file = u.fsPath;
      } catch {
        return undefined;
      }
      const model = isModelFile(file);
      if (!model && !policy.trusted) {
        declined.push({ file, reason: 'untrusted', message: `${file}: data files are read once the workspace is trusted` });
        return undefined;
      }
      const r = readTextBounded(file, model ? { maxBytes: MAX_FILE_BYTES } : { maxBytes: MAX_DATA_BYTES, roots: policy.roots });
      if (r.ok) return r.text;
      declined.push({ file, reason: r.reason, message: r.message });
      return undefined;
    },
  };
}

/**
 * Checks and lowers `text` as the file `uri` (imports are read from disk). Data files are read
 * as `policy` allows (by default not at all: the caller says when the workspace is trusted).
 */
export function loadModel(uri: string, text: string, preludeDir?: string, policy: ReadPolicy = { trusted: false }): LoadResult {
  prelude ??= loadPrelude(preludeDir);
  const declined: Declined[] = [];
  const program = new Program(boundedHost(policy, declined), prelude);
  program.setText(uri, text);
  const r = lower(program, uri);
  if (r.ok) return { ok: true, ir: r.ir };
  const errors = r.errors.flatMap((f) => {
    const lines = new LineIndex(program.getText(f.uri) ?? '');
    return f.diagnostics.map((d) => ({ uri: f.uri, line: lines.position(d.start).line, message: whyNotRead(d.message, declined) }));
  });
  return { ok: false, errors, declined };
}

/** The checker says "cannot find 'x' (looked for /abs/x)" for a file the host declined: say why instead. */
function whyNotRead(message: string, declined: readonly Declined[]): string {
  const d = declined.find((x) => message.startsWith('cannot find ') && message.endsWith(`(looked for ${x.file})`));
  return d ? d.message : message;
}

/**
 * The folders a run may read data files from: the workspace folders, or — with no folder open —
 * the model's own folder.
 */
export function readRootsFor(workspaceFolders: readonly string[], modelPath: string): string[] {
  return workspaceFolders.length ? [...workspaceFolders] : [path.dirname(modelPath)];
}

export interface SimulateBlock {
  /** Offsets of the whole block and of its keyword. */
  start: number;
  end: number;
  keywordEnd: number;
  /** Whether the block sets `duration` (else the setting's default applies). */
  hasDuration: boolean;
}

export function simulateBlocks(text: string): SimulateBlock[] {
  let ast: SnnFile;
  try {
    ast = parse(text);
  } catch {
    return [];
  }
  return ast.items.flatMap((it) =>
    it.kind === 'simulate'
      ? [{ start: it.start, end: it.end, keywordEnd: it.keyword.end, hasDuration: it.props.some((p) => p.key.name === 'duration') }]
      : [],
  );
}

/** Where population `name` is defined: the file `uri` (text as in the editor) first, then its imports. */
export function populationPlace(uri: string, text: string, name: string, preludeDir?: string): Place | undefined {
  prelude ??= loadPrelude(preludeDir);
  // Imports only: finding a definition never reads a data file.
  const program = new Program(boundedHost({ trusted: false }), prelude);
  program.setText(uri, text);
  const seen = new Set<string>();
  const visit = (u: string, depth: number): Place | undefined => {
    if (seen.has(u) || depth > 20) return undefined;
    seen.add(u);
    const ast = program.getAst(u);
    if (!ast) return undefined;
    for (const it of ast.items) {
      if (it.kind === 'population' && it.name.name === name) {
        const lines = new LineIndex(ast.text);
        return { uri: u, start: lines.position(it.name.start), end: lines.position(it.name.end) };
      }
    }
    for (const it of ast.items) {
      if (it.kind !== 'import') continue;
      const found = visit(program.resolveImport(u, it.path.value), depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(uri, 0);
}

/**
 * Data files the run reads (event files, edge lists, ONNX readouts) or that values were read
 * from (`from_file` parameters, initial values, weights and delays), as written in the model.
 */
export function dataFiles(ir: ModelIR): string[] {
  const fromValues = (vs: (ValueIR | undefined)[]) => vs.flatMap((v) => (v?.kind === 'list' && v.file !== undefined ? [v.file] : []));
  const files = [
    ...ir.inputs.flatMap((i) => (i.kind === 'event_file' ? [i.file] : [])),
    ...ir.populations.flatMap((p) => fromValues([...Object.values(p.parameters), ...Object.values(p.init)])),
    ...ir.connections.flatMap((c) => fromValues([c.weight, c.delay])),
    ...ir.connections.flatMap((c) => (c.rule.kind === 'from_file' ? [c.rule.file] : [])),
    ...ir.readouts.flatMap((r) => (r.file ? [r.file] : [])),
  ];
  return [...new Set(files)];
}

const NAMED: [string, DimIR][] = [
  ['V', [2, 1, -3, -1, 0, 0, 0]],
  ['S', [-2, -1, 3, 2, 0, 0, 0]],
  ['A', [0, 0, 0, 1, 0, 0, 0]],
  ['F', [-2, -1, 4, 2, 0, 0, 0]],
  ['Ω', [2, 1, -3, -2, 0, 0, 0]],
  ['s', [0, 0, 1, 0, 0, 0, 0]],
  ['Hz', [0, 0, -1, 0, 0, 0, 0]],
  ['m', [1, 0, 0, 0, 0, 0, 0]],
  ['mol/m³', [-3, 0, 0, 0, 0, 1, 0]],
  ['', [0, 0, 0, 0, 0, 0, 0]],
];
const BASES = ['m', 'kg', 's', 'A', 'K', 'mol', 'cd'];

/** An SI unit symbol for a dimension: a named unit where there is one, else base units. */
export function unitSymbol(dim: DimIR): string {
  const hit = NAMED.find(([, d]) => d.every((x, k) => x === dim[k]));
  if (hit) return hit[0];
  return dim.flatMap((x, k) => (x === 0 ? [] : [x === 1 ? BASES[k] : `${BASES[k]}^${x}`])).join('·');
}

/** The unit of each probed state variable, by `population.variable`. */
export function traceUnit(ir: ModelIR, population: string, variable: string): string {
  const pop = ir.populations.find((p) => p.name === population);
  const model = pop ? ir.models[pop.model] : undefined;
  const v = model?.state.find((s) => s.name === variable) ?? model?.aliases.find((a) => a.name === variable);
  return v ? unitSymbol(v.dim) : '';
}

/** Populations whose spikes the engine records: those named by spike probes, or all. */
export function recordedPopulations(ir: ModelIR): Set<string> {
  const named = ir.probes.filter((p) => p.variable === 'spikes').flatMap((p) => p.targets.map((t) => t.name));
  return new Set(named.length ? named : [...ir.populations.map((p) => p.name), ...ir.inputs.filter((i) => i.kind !== 'current_step').map((i) => i.name)]);
}

export function fileName(uri: string): string {
  const p = URI.parse(uri).path;
  return p.slice(p.lastIndexOf('/') + 1) || uri;
}

export type { TraceInfo };
