// A document's model for a run, without VS Code types: check and lower the editor's text (it
// may be unsaved), find its `simulate` blocks and population definitions, list the data files
// it reads, name the units of probed variables. Uses the language's own code through its façade
// (language-server/src/ide.ts, as the CLI does). Files are read as the language reads them: the
// bounded nodeHost (regular files only, sizes checked before reading) under the FileAccess (data files only once the workspace is
// trusted and only inside the folders given; imports inside them or next to the importing file).
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CircuitComponent } from '../../../protocol/circuits';
import { readoutTasks } from '../../../sim-host/src/analysis/circuits/index';
import type { ModelIR, ValueIR } from '../../../protocol/ir';
import type { TraceInfo } from '../../../protocol/panel-data';
import type { SnnFile } from '../../../language-server/src/ast';
import { lowerModel, ModelWorkspace, type LocatedDiagnostic, type Place } from '../../../language-server/src/ide';
import { nodeHost, preludeAt } from '../../../language-server/src/ide-node';
import { parse } from '../../../language-server/src/parser';

export type { Place };

/** Which files a model's check may read besides .snn imports (the language's FileAccess). */
export interface ReadPolicy {
  /** Data files (`from_file` values) are read only in a trusted workspace. */
  trusted: boolean;
  /** When given, data files must lie inside one of these folders (after resolving symlinks). */
  roots?: readonly string[];
  /** Said after "outside the workspace". */
  outsideHint?: string;
}

/** One error of the check; `dataFile` (absolute) on those of code 'untrusted': a data file not read. */
export interface LoadError {
  uri: string;
  line: number;
  message: string;
  code: string;
  dataFile?: string;
}

export type LoadResult = { ok: true; ir: ModelIR } | { ok: false; errors: LoadError[] };

/** The façade's options for the disk (the bounded nodeHost) read as `policy` allows. */
function optionsFor(policy: ReadPolicy, preludeDir?: string) {
  const access = { trusted: policy.trusted, roots: policy.roots && [...policy.roots], outsideHint: policy.outsideHint };
  return { host: nodeHost, prelude: preludeAt(preludeDir), access };
}

/** A located diagnostic as a LoadError (0-based line, as LSP). */
function loadError(d: LocatedDiagnostic): LoadError {
  const e: LoadError = { uri: d.uri, line: d.line - 1, message: d.message, code: d.code };
  return d.dataFile !== undefined ? { ...e, dataFile: d.dataFile } : e;
}

/**
 * Checks and lowers `text` as the file `uri` (imports are read from disk). Data files are read
 * as `policy` allows (by default not at all: the caller says when the workspace is trusted).
 */
export function loadModel(uri: string, text: string, preludeDir?: string, policy: ReadPolicy = { trusted: false }): LoadResult {
  const r = lowerModel({ uri, text }, optionsFor(policy, preludeDir));
  if (r.ok) return { ok: true, ir: r.ir };
  const errors = r.diagnostics.map(loadError);
  // Data files named deeper in the imports wait for trust too (the errors list direct imports only).
  const listed = new Set(errors.map((e) => e.dataFile).filter((f) => f !== undefined));
  for (const d of r.awaitingTrust) if (d.dataFile !== undefined && !listed.has(d.dataFile)) errors.push(loadError(d));
  return { ok: false, errors };
}

/**
 * Data files a run would read that wait for workspace trust: those of the check's 'untrusted'
 * diagnostics (values from files; relative to the model's folder) or, when the model checked,
 * every file it names.
 */
export function filesAwaitingTrust(loaded: LoadResult, modelDir: string): string[] {
  if (loaded.ok) return dataFiles(loaded.ir);
  const files = loaded.errors.flatMap((e) => (e.code === 'untrusted' && e.dataFile !== undefined ? [path.relative(modelDir, e.dataFile) || e.dataFile] : []));
  return [...new Set(files)];
}

/**
 * The folders a run may read data files from: the workspace folders, or — with no folder open —
 * the model's own folder.
 */
/**
 * Where items of the model are written (1-based line and column), for messages about the IR
 * (exporters' refusals, a panel's "reveal"): `text` is the editor's, possibly unsaved.
 */
export function locateItems(uri: string, text: string, items: readonly { kind: string; name?: string; index?: number }[], preludeDir?: string): ({ line: number; column: number } | undefined)[] {
  const ws = new ModelWorkspace(optionsFor({ trusted: false }, preludeDir));
  ws.setText(uri, text);
  return items.map((it) => ws.locateItem(uri, it));
}

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

/** The file `uri` with the editor's text, for finding definitions: imports only, never a data file (untrusted access, no analysis). */
function definitionsOf(uri: string, text: string, preludeDir?: string): ModelWorkspace {
  const ws = new ModelWorkspace(optionsFor({ trusted: false }, preludeDir));
  ws.setText(uri, text);
  return ws;
}

/** Where population `name` is defined: the file `uri` (text as in the editor) first, then its imports. */
export function populationPlace(uri: string, text: string, name: string, preludeDir?: string): Place | undefined {
  return definitionsOf(uri, text, preludeDir).findPopulation(uri, name);
}

/**
 * Where a circuit component is defined: a population's or a group's population (or input), a
 * projection's connection (by its name, else the first `connect` from its source to its target).
 */
export function componentPlace(uri: string, text: string, c: Pick<CircuitComponent, 'kind' | 'label' | 'population' | 'target'>, preludeDir?: string): Place | undefined {
  const ws = definitionsOf(uri, text, preludeDir);
  if (c.kind === 'projection') return ws.findConnection(uri, { name: c.label, source: c.population, ...(c.target !== undefined ? { target: c.target } : {}) });
  // A component's "population" may be an input (spike sources are components too).
  return ws.findPopulation(uri, c.population) ?? ws.findInput(uri, c.population);
}

/** The tasks circuit discovery can analyse (those a ridge readout scores), each once, in the readouts' order. */
export function circuitTasks(ir: ModelIR): string[] {
  return [...new Set(readoutTasks(ir).map((t) => t.task))];
}

/** Where an item of the file `uri` is written (1-based line and column), for a message about it. */
export function itemPlace(uri: string, text: string, item: { kind: string; name?: string }): { line: number; column: number } | undefined {
  return definitionsOf(uri, text).locateItem(uri, item);
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

export { isConnection, traceUnit, unitSymbol } from '../../../protocol/units';
export { recordedPopulations } from '../../../protocol/panel-data';

export function fileName(uri: string): string {
  const p = URI.parse(uri).path;
  return p.slice(p.lastIndexOf('/') + 1) || uri;
}

export type { TraceInfo };
