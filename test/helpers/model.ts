// Model text or files → IR for the tests, through the language's façade (language-server/src/ide.ts)
// as the CLI and the extension do. Not a test file itself.
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { lowerModel, type FileAccess, type Host, type ModelOutcome } from '../../language-server/src/ide';
import { nodeHost, preludeAt } from '../../language-server/src/ide-node';
import type { ModelIR } from '../../protocol/ir';
import { repoRoot } from './build';

/** The source tree's prelude (language-server/prelude), loaded once. */
export const prelude = () => preludeAt(path.join(repoRoot, 'language-server'));

/**
 * A host that reads but never stats: the checker then leaves run files (event files, edge lists)
 * to the engine, for tests of the engine's own file handling (the IR names files the plan reads
 * from another folder).
 */
export const READ_ONLY_HOST: Host = { readFile: (uri: string) => nodeHost.readFile(uri) };

export interface ModelOptions {
  /** Where a text lives (its imports and data files are relative to it): a path, absolute or from the repo root. Default `.scratch/model.snn`. */
  at?: string;
  /** Default nodeHost. */
  host?: Host;
  /** Default: trusted, anywhere (a library caller). */
  access?: FileAccess;
}

/** A model file: a path, absolute or from the repo root. */
export type ModelFile = { file: string };

/** The façade's outcome for a text (at `opts.at`) or a file. */
export function outcomeOf(source: string | ModelFile, opts: ModelOptions = {}): ModelOutcome {
  const options = { host: opts.host ?? nodeHost, prelude: prelude(), access: opts.access };
  if (typeof source !== 'string') return lowerModel({ file: path.resolve(repoRoot, source.file) }, options);
  const uri = URI.file(path.resolve(repoRoot, opts.at ?? '.scratch/model.snn')).toString();
  return lowerModel({ uri, text: source }, options);
}

/** The IR of a text or file; throws with the errors (file:line:col: message) when it has any. */
export function irOf(source: string | ModelFile, opts: ModelOptions = {}): ModelIR {
  const r = outcomeOf(source, opts);
  if (r.ok) return r.ir;
  const what = typeof source === 'string' ? (opts.at ?? 'model text') : source.file;
  const errors = r.diagnostics.map((d) => `${path.basename(d.path ?? d.uri)}:${d.line}:${d.column}: ${d.message}`);
  throw new Error(`${what} has errors: ${JSON.stringify(errors)}`);
}
