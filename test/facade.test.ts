// The language's façade (language-server/src/ide.ts): the one way from model text to IR for
// code outside language-server/. It must give the IR that lower() gives for every example (as a
// file and as editor text), locate every error (file, 1-based line and column, start and end) —
// an error inside an imported file in that file —, report the data files that wait for trust,
// and the CLI must print exactly its diagnostics. A source scan keeps Program and lower() behind
// the façade.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { filesAwaitingTrust, loadModel } from '../extension/src/simulation/model';
import { formatDiagnostic, lowerModel, ModelWorkspace, type LocatedDiagnostic } from '../language-server/src/ide';
import { nodeHost, preludeAt } from '../language-server/src/ide-node';
import { lower } from '../language-server/src/lower';
import { Program } from '../language-server/src/program';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';
import { invalidDir, listSnn, matches, normalise, parseExpectations, type Diag1 } from './helpers/corpus';
import { irOf, outcomeOf } from './helpers/model';

const prelude = preludeAt(path.join(repoRoot, 'language-server'));
const examples = fs.readdirSync(path.join(repoRoot, 'examples')).filter((f) => f.endsWith('.snn')).sort();

/** What lower() gives on a Program built by hand (the way every caller did it before the façade). */
function direct(file: string, text?: string) {
  const program = new Program(nodeHost, prelude);
  const uri = URI.file(file).toString();
  if (text !== undefined) program.setText(uri, text);
  return lower(program, uri);
}

const asDiag1 = (d: LocatedDiagnostic): Diag1 => ({
  severity: d.severity, message: d.message, code: d.code, startLine: d.line, startCol: d.column, endLine: d.endLine, endCol: d.endColumn,
});

describe('the façade gives the IR lower() gives', () => {
  it('for every example, as a file and as (unsaved) editor text', () => {
    assert.ok(examples.length >= 10, `examples: ${examples.length}`);
    for (const name of examples) {
      const file = path.join(repoRoot, 'examples', name);
      const want = direct(file);
      assert.ok(want.ok, `${name} lowers directly`);
      const got = lowerModel({ file }, { host: nodeHost, prelude });
      assert.ok(got.ok, `${name}: ${JSON.stringify(!got.ok && got.diagnostics.slice(0, 3))}`);
      assert.deepEqual(got.ir, want.ir, name);
      const text = fs.readFileSync(file, 'utf8');
      const edited = lowerModel({ uri: URI.file(file).toString(), text }, { host: nodeHost, prelude });
      assert.ok(edited.ok, name);
      assert.deepEqual(edited.ir, want.ir, `${name} as text`);
      // The tests' helper is the same path.
      assert.deepEqual(irOf({ file: path.relative(repoRoot, file) }), want.ir, `${name} through test/helpers/model.ts`);
    }
  });

  it('the text wins over the file on disk (an unsaved edit)', () => {
    const file = path.join(repoRoot, 'examples', 'coba.snn');
    const text = fs.readFileSync(file, 'utf8').replace('exc = CobaLIF[3200]', 'exc = CobaLIF[320]');
    assert.notEqual(text, fs.readFileSync(file, 'utf8'), 'the edit applies');
    const r = lowerModel({ uri: URI.file(file).toString(), text }, { host: nodeHost, prelude });
    assert.ok(r.ok);
    assert.equal(r.ir.populations.find((p) => p.name === 'exc')?.size, 320);
    const d = direct(file, text);
    assert.ok(d.ok);
    assert.deepEqual(r.ir, d.ir);
  });
});

describe('located diagnostics', () => {
  const files = listSnn(invalidDir);

  it('every error of an invalid corpus file, at its expected file, line and column (start and end)', () => {
    let withErrors = 0;
    for (const file of files) {
      const { expectations } = parseExpectations(fs.readFileSync(file, 'utf8'));
      const wanted = expectations.filter((e) => e.severity === 'error');
      const r = lowerModel({ file }, { host: nodeHost, prelude });
      const name = path.relative(repoRoot, file);
      if (!wanted.length) {
        assert.ok(r.ok, `${name} has no expected errors but does not lower: ${JSON.stringify(!r.ok && r.diagnostics)}`);
        continue;
      }
      withErrors++;
      assert.ok(!r.ok, `${name} lowered despite its errors`);
      for (const d of r.diagnostics) {
        assert.equal(d.severity, 'error', `${name}: ${d.message}`);
        assert.ok(d.code.length > 0 && d.message.length > 0, `${name}: code and message`);
        assert.ok(d.line >= 1 && d.column >= 1 && (d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column)), `${name}: ${JSON.stringify(d)}`);
        assert.equal(d.path, URI.parse(d.uri).fsPath, `${name}: the file's path`);
      }
      // (A file that imports itself is its own import: lower() lists its errors twice, and the CLI prints them so.)
      const own = [...new Map(r.diagnostics.filter((d) => d.uri === URI.file(file).toString()).map((d) => [JSON.stringify(d), d])).values()];
      assert.equal(own.length, wanted.length, `${name}: ${JSON.stringify(own.map((d) => `${d.line}:${d.column} ${d.message}`))}`);
      for (const e of wanted) {
        assert.ok(own.some((d) => matches(e, asDiag1(d))), `${name}: no diagnostic for '${e.source}' among ${JSON.stringify(own.map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${normalise(d.message)}`))}`);
      }
    }
    assert.ok(withErrors >= 40, `invalid files with errors: ${withErrors}`);
  });

  it('an error inside an imported file is located in that file (and at the import in the importer)', () => {
    const r = lowerModel({ file: path.join(invalidDir, 'imports_broken.snn') }, { host: nodeHost, prelude });
    assert.ok(!r.ok);
    const shown = r.diagnostics.map((d) => `${path.basename(d.path!)}:${d.line}:${d.column}-${d.endLine}:${d.endColumn}: ${d.code}`);
    assert.deepEqual(shown, ['imports_broken.snn:5:8-5:24: import-errors', 'broken_lib.snn:9:14-9:22: unit-mismatch']);
    const lib = r.diagnostics[1];
    assert.equal(lib.path, path.join(invalidDir, 'broken_lib.snn'));
    assert.equal(lib.uri, URI.file(path.join(invalidDir, 'broken_lib.snn')).toString());
    assert.match(lib.message, /unit mismatch: volt vs siemens/);
    assert.equal(formatDiagnostic(lib, 'lib.snn'), `lib.snn:9:14: error: ${lib.message}`);
  });

  it('columns count UTF-16 code units and lines count \\r\\n once', () => {
    const text = 'population a = LIF[2]\r\n// é 𝒩\r\npopulation b = LIF[2] { tau_m = 1 mV }\r\n';
    const r = outcomeOf(text, { at: '.scratch/facade-crlf.snn' });
    assert.ok(!r.ok);
    const d = r.diagnostics[0];
    assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [3, 33, 3, 37], JSON.stringify(d));
    const lf = outcomeOf('\n\n' + 'population b = LIF[2] { tau_m = 1 mV }\n', { at: '.scratch/facade-lf.snn' });
    assert.ok(!lf.ok);
    assert.deepEqual([lf.diagnostics[0].line, lf.diagnostics[0].column], [3, 33]);
  });

  it('check() gives all of one file\'s diagnostics in text order, warnings too', () => {
    const ws = new ModelWorkspace({ host: nodeHost, prelude });
    const uri = URI.file(path.join(repoRoot, '.scratch', 'facade-check.snn')).toString();
    ws.setText(uri, 'population b = LIF[2] { tau_m = 1 mV }\npopulation a = LIF[2] { v = -65 }\n');
    const ds = ws.check(uri);
    assert.ok(ds.length >= 2, JSON.stringify(ds));
    for (let k = 1; k < ds.length; k++) assert.ok(ds[k - 1].line < ds[k].line || (ds[k - 1].line === ds[k].line && ds[k - 1].column <= ds[k].column), 'text order');
    assert.deepEqual(ds.map((d) => d.line).filter((l, k, a) => a.indexOf(l) === k), [1, 2]);
    const warn = path.join(invalidDir, 'dt_coarse_warning.snn');
    const ws2 = new ModelWorkspace({ host: nodeHost, prelude });
    assert.ok(ws2.check(URI.file(warn).toString()).some((d) => d.severity === 'warning'), 'warnings are kept');
  });

  it('the CLI prints the façade\'s diagnostics as path:line:col: error: message (export)', () => {
    ensureBuilt();
    const file = path.join(invalidDir, 'imports_broken.snn');
    const r = spawnSync(process.execPath, [distCli, 'export', path.relative(repoRoot, file)], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    const out = lowerModel({ file }, { host: nodeHost, prelude });
    assert.ok(!out.ok);
    const want = out.diagnostics.map((d) => formatDiagnostic(d, path.relative(repoRoot, d.path!)));
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [...want, 'spikeworks: the model has errors; nothing exported']);
    assert.match(want[1], /^test\/corpus\/invalid\/broken_lib\.snn:9:14: error: unit mismatch/);
  });
});

describe('data files that wait for trust', () => {
  let ws = '';
  before(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'spikeworks-facade-')));
    fs.mkdirSync(path.join(ws, 'data'));
    fs.mkdirSync(path.join(ws, 'lib'));
    fs.writeFileSync(path.join(ws, 'data', 'tau.csv'), 'tau_m\n10\n20\n');
    fs.writeFileSync(path.join(ws, 'lib', 'data.csv'), 'tau_m\n30\n40\n');
    fs.writeFileSync(path.join(ws, 'lib', 'deep.snn'), 'model deep\npopulation d = LIF[2] { tau_m = from_file("data.csv", unit = ms) }\n');
    fs.writeFileSync(path.join(ws, 'lib', 'mid.snn'), 'model mid\nimport "deep.snn"\n');
    fs.writeFileSync(path.join(ws, 'model.snn'), 'model m\nimport "lib/mid.snn"\npopulation a = LIF[2] { tau_m = from_file("data/tau.csv", unit = ms) }\n');
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('untrusted: not lowered; every data file of the model and its imports (however deep) is reported at its path literal', () => {
    const file = path.join(ws, 'model.snn');
    const r = lowerModel({ file }, { host: nodeHost, prelude, access: { trusted: false, roots: [ws] } });
    assert.ok(!r.ok);
    const own = r.diagnostics.find((d) => d.code === 'untrusted');
    assert.ok(own, JSON.stringify(r.diagnostics));
    assert.deepEqual([own.path, own.line, own.column, own.endColumn, own.dataFile], [file, 3, 43, 43 + '"data/tau.csv"'.length, path.join(ws, 'data', 'tau.csv')]);
    const waiting = r.awaitingTrust.map((d) => [path.relative(ws, d.path!), d.line, d.column, d.code, path.relative(ws, d.dataFile!)]);
    assert.deepEqual(waiting.sort(), [['lib/deep.snn', 2, 43, 'untrusted', 'lib/data.csv'], ['model.snn', 3, 43, 'untrusted', 'data/tau.csv']]);
    // The extension's view of the same: the files it waits for, relative to the model's folder.
    const loaded = loadModel(URI.file(file).toString(), fs.readFileSync(file, 'utf8'), path.join(repoRoot, 'language-server'), { trusted: false, roots: [ws] });
    assert.ok(!loaded.ok);
    assert.deepEqual(filesAwaitingTrust(loaded, ws).sort(), ['data/tau.csv', 'lib/data.csv']);
  });

  it('trusted: the same model lowers with the values read', () => {
    const r = lowerModel({ file: path.join(ws, 'model.snn') }, { host: nodeHost, prelude, access: { trusted: true, roots: [ws] } });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
    assert.deepEqual(r.ir.populations.find((p) => p.name === 'a')?.parameters.tau_m, { kind: 'list', values: [0.01, 0.02], file: 'data/tau.csv' });
  });
});

// ---- the API boundary ----

/** Files outside language-server/src that may build a Program or call lower() themselves, and why. */
const ALLOWED: Record<string, string> = {
  'language-server/src/': 'the language itself (ide.ts is the façade)',
  'bench/lsp.ts': 'benchmarks the language server\'s Program (edits, analysis) directly',
  'test/incremental.test.ts': 'compares an incremental Program with a fresh one (the incremental analysis is what it tests)',
  'test/helpers/corpus.ts': 'the checker corpus: analyses, not lowering, on a fresh Program per file',
  'test/helpers/fuzz-child.ts': 'fuzzes the LSP features over a Program',
  'test/trust.test.ts': 'tests program.ts\'s read policy and its caches across checks (lowers through the same Program)',
  'test/facade.test.ts': 'compares the façade with direct lower()',
};

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'test-results', '.scratch', 'out']);

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') && e.isDirectory()) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) sources(p, out);
    } else if (/\.(ts|mts|cts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The places in a source text that build a Program or call lower() (not `.lower(`, not `toLowerCase(`). */
function bypasses(text: string): string[] {
  const found: string[] = [];
  const re = /\bnew\s+Program\s*\(|(?<![.\w$])lower\s*\(/g;
  for (const m of text.matchAll(re)) {
    const line = text.slice(0, m.index).split('\n').length;
    const lineText = text.split('\n')[line - 1].trim();
    // `function lower(` (a definition) is not a call.
    if (/\bfunction\s+lower\s*\(/.test(lineText)) continue;
    found.push(`${line}: ${lineText}`);
  }
  return found;
}

describe('the API boundary: only the façade builds Programs and lowers', () => {
  it('the scan finds a Program built by hand and a lower() call, and nothing else', () => {
    assert.deepEqual(bypasses('const p = new Program(nodeHost, prelude);\nconst r = lower(p, uri);\n').length, 2);
    assert.deepEqual(bypasses('const s = name.toLowerCase();\nconst t = x.lower(1);\nexport function lower(program: Program) {}\n'), []);
  });

  it('no file outside language-server/src and the allowed users builds a Program or calls lower()', () => {
    const files = sources(repoRoot).map((f) => path.relative(repoRoot, f).split(path.sep).join('/'));
    assert.ok(files.includes('cli/src/load.ts') && files.includes('extension/src/simulation/model.ts') && files.includes('bench/engine-webgpu.ts'), 'the scan sees the callers');
    const offenders = files
      .filter((f) => !Object.keys(ALLOWED).some((a) => (a.endsWith('/') ? f.startsWith(a) : f === a)))
      .flatMap((f) => bypasses(fs.readFileSync(path.join(repoRoot, f), 'utf8')).map((b) => `${f}:${b}`));
    assert.deepEqual(offenders, [], 'use language-server/src/ide.ts (lowerModel / ModelWorkspace) instead');
  });

  it('the façade\'s callers import it, not program.ts / lower.ts', () => {
    for (const f of ['cli/src/load.ts', 'cli/src/main.ts', 'extension/src/simulation/model.ts', 'bench/engine-webgpu.ts', 'test/helpers/model.ts']) {
      const text = fs.readFileSync(path.join(repoRoot, f), 'utf8');
      assert.doesNotMatch(text, /language-server\/src\/(program|lower|checker)'/, f);
    }
  });
});
