// The test corpus (test/corpus/valid, test/corpus/invalid) and its expectation format.
//
// Every file in test/corpus/invalid states the diagnostics the checker must report for it, one
// comment line each, anywhere in the file:
//
//   // expect: <severity> <line>:<col>-<line>:<col> <fragment>[ ... <fragment>]
//
//   severity   `error` or `warning` (hints and information are not compared)
//   range      1-based line and column, in UTF-16 code units as LSP counts them; the end is
//              exclusive (the column just after the last character), so a range is the LSP
//              range plus one on every number. A zero-width range has start = end.
//   fragments  text the message must contain, compared after collapsing runs of whitespace;
//              several fragments separated by ` ... ` must all occur, in that order.
//
// Example: `// expect: error 6:7-6:18 unit mismatch: volt vs siemens` for `v = 1 mV + 1 nS`
// on line 6. A file's error and warning diagnostics must be exactly its expectations: each
// expectation matches one diagnostic with that severity, range and fragments, and no error
// or warning is left over.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import { loadPrelude, nodeHost } from '../../language-server/src/node-host';
import { Program, type PreludeFile } from '../../language-server/src/program';
import { LineIndex } from '../../language-server/src/text';

export const corpusDir = resolve(__dirname, '..', 'corpus');
export const validDir = join(corpusDir, 'valid');
export const invalidDir = join(corpusDir, 'invalid');
export const repoRoot = resolve(__dirname, '..', '..');
export const preludeDir = join(repoRoot, 'language-server', 'prelude');
export const examplesDir = join(repoRoot, 'examples');

export type Severity = 'error' | 'warning' | 'information' | 'hint';
const SEVERITIES: Severity[] = ['error', 'error', 'warning', 'information', 'hint'];

export interface Range1 {
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

export interface Expectation extends Range1 {
  severity: 'error' | 'warning';
  fragments: string[];
  /** 1-based line of the `// expect:` comment. */
  at: number;
  source: string;
}

export interface Diag1 extends Range1 {
  severity: Severity;
  message: string;
  code: string;
}

const EXPECT = /^\s*\/\/\s*expect:\s*(.*)$/;
const EXPECT_BODY = /^(error|warning)\s+(\d+):(\d+)-(\d+):(\d+)\s+(\S.*?)\s*$/;

/** Parses the `// expect:` lines of a file; malformed ones are returned as errors. */
export function parseExpectations(text: string): { expectations: Expectation[]; malformed: string[] } {
  const expectations: Expectation[] = [];
  const malformed: string[] = [];
  text.split(/\r?\n/).forEach((line, k) => {
    const m = EXPECT.exec(line);
    if (!m) return;
    const b = EXPECT_BODY.exec(m[1]);
    if (!b) {
      malformed.push(`line ${k + 1}: ${line.trim()}`);
      return;
    }
    const [, severity, l1, c1, l2, c2, frag] = b;
    expectations.push({
      severity: severity as 'error' | 'warning',
      startLine: +l1, startCol: +c1, endLine: +l2, endCol: +c2,
      fragments: frag.split(' ... ').map(normalise).filter(Boolean),
      at: k + 1,
      source: line.trim(),
    });
  });
  return { expectations, malformed };
}

export function normalise(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** All .snn files under a directory, recursively, sorted. */
export function listSnn(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listSnn(p));
    else if (e.name.endsWith('.snn')) out.push(p);
  }
  return out.sort();
}

let preludeFiles: PreludeFile[] | undefined;
export function prelude(): PreludeFile[] {
  preludeFiles ??= loadPrelude(join(repoRoot, 'language-server', 'src'));
  return preludeFiles;
}

/** A fresh program (no caches shared between files) reading files from disk. */
export function freshProgram(): Program {
  return new Program(nodeHost, prelude());
}

export function uriOf(path: string): string {
  return URI.file(resolve(path)).toString();
}

/** Checks one file on disk with a fresh program; diagnostics with 1-based ranges. */
export function checkFile(path: string, program = freshProgram()): Diag1[] {
  const uri = uriOf(path);
  const a = program.analyze(uri);
  const lines = new LineIndex(program.getText(uri) ?? '');
  return a.diagnostics.map((d) => {
    const s = lines.position(d.start);
    const e = lines.position(d.end);
    return {
      severity: SEVERITIES[d.severity] ?? 'error',
      message: d.message,
      code: d.code,
      startLine: s.line + 1, startCol: s.character + 1, endLine: e.line + 1, endCol: e.character + 1,
    };
  });
}

export function fmtRange(r: Range1): string {
  return `${r.startLine}:${r.startCol}-${r.endLine}:${r.endCol}`;
}

export function fmtDiag(d: Diag1): string {
  return `${d.severity} ${fmtRange(d)} ${d.message} [${d.code}]`;
}

export function sameRange(a: Range1, b: Range1): boolean {
  return a.startLine === b.startLine && a.startCol === b.startCol && a.endLine === b.endLine && a.endCol === b.endCol;
}

export function matches(e: Expectation, d: Diag1): boolean {
  if (e.severity !== d.severity || !sameRange(e, d)) return false;
  const msg = normalise(d.message);
  let from = 0;
  for (const f of e.fragments) {
    const k = msg.indexOf(f, from);
    if (k < 0) return false;
    from = k + f.length;
  }
  return true;
}

/** Pairs expectations with error/warning diagnostics; returns what is missing and what is extra. */
export function compare(expectations: Expectation[], diags: Diag1[]): { missing: Expectation[]; unexpected: Diag1[] } {
  const pool = diags.filter((d) => d.severity === 'error' || d.severity === 'warning');
  const missing: Expectation[] = [];
  for (const e of expectations) {
    const k = pool.findIndex((d) => matches(e, d));
    if (k < 0) missing.push(e);
    else pool.splice(k, 1);
  }
  return { missing, unexpected: pool };
}

export function rel(path: string): string {
  return relative(repoRoot, path);
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}
