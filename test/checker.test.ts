// The checker against the corpus, the examples and the prelude, and the `spikeworks check` CLI.
//
// Corpus (test/corpus): every file in valid/ (recursively) must check with no error and no
// warning; every file in invalid/ must report exactly the diagnostics its `// expect:` lines
// state. The expectation format (documented in full in test/helpers/corpus.ts):
//
//   // expect: <error|warning> <line>:<col>-<line>:<col> <message fragment>[ ... <fragment>]
//
// with 1-based lines and columns (UTF-16 code units; end exclusive, i.e. the LSP range plus
// one), for example `// expect: error 6:7-6:18 unit mismatch: volt vs siemens`. Each
// expectation must match one error/warning diagnostic with that severity, exactly that range,
// and a message containing the fragments in order; no error or warning may be left over.
// Hints and information diagnostics are not compared. Each file is checked with a fresh
// Program (nodeHost + the prelude), so results never depend on the order files are checked in.
//
// The CLI part spawns `node dist/cli.js check` (rebuilt first when older than the sources)
// and checks the contract of shared/design/ARCHITECTURE.md: human lines
// `path:line:col: severity: message` (1-based), `--format json` printing one object
// {"files":[{"path","diagnostics":[{"severity","message","code","range"}]}]} with 0-based
// ranges, exit 0 without errors, 1 with errors, 2 on bad usage.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import type * as A from '../language-server/src/ast';
import { lex } from '../language-server/src/lexer';
import { parse } from '../language-server/src/parser';
import { walk } from '../language-server/src/checker';
import { distCli, ensureBuilt } from './helpers/build';
import {
  checkFile, compare, examplesDir, fmtDiag, fmtRange, freshProgram, invalidDir, listSnn, parseExpectations, preludeDir, read, rel,
  repoRoot, validDir, type Diag1,
} from './helpers/corpus';

const validFiles = listSnn(validDir);
const invalidFiles = listSnn(invalidDir);

function report(diags: Diag1[]): string {
  return diags.map((d) => `    ${fmtDiag(d)}`).join('\n');
}

describe('corpus layout', () => {
  it('has at least 10 valid and 25 invalid files', () => {
    assert.ok(validFiles.length >= 10, `only ${validFiles.length} valid files`);
    assert.ok(invalidFiles.length >= 25, `only ${invalidFiles.length} invalid files`);
  });
  it('every invalid file states at least one well-formed expectation; valid files state none', () => {
    const problems: string[] = [];
    for (const f of invalidFiles) {
      const { expectations, malformed } = parseExpectations(read(f));
      if (malformed.length) problems.push(`${rel(f)}: malformed ${malformed.join('; ')}`);
      if (expectations.length === 0) problems.push(`${rel(f)}: no // expect: line`);
    }
    for (const f of validFiles) {
      const { expectations, malformed } = parseExpectations(read(f));
      if (expectations.length || malformed.length) problems.push(`${rel(f)}: a valid file has // expect: lines`);
    }
    assert.deepEqual(problems, []);
  });
});

describe('valid corpus: no errors, no warnings', () => {
  for (const f of validFiles) {
    it(rel(f), () => {
      const d = checkFile(f);
      const errors = d.filter((x) => x.severity === 'error');
      const warnings = d.filter((x) => x.severity === 'warning');
      assert.equal(errors.length, 0, `errors in ${rel(f)}:\n${report(errors)}`);
      assert.equal(warnings.length, 0, `warnings in ${rel(f)}:\n${report(warnings)}`);
    });
  }
});

describe('invalid corpus: exactly the expected diagnostics', () => {
  for (const f of invalidFiles) {
    it(rel(f), () => {
      const { expectations } = parseExpectations(read(f));
      let diags: Diag1[];
      try {
        diags = checkFile(f);
      } catch (e) {
        assert.fail(`the checker threw on ${rel(f)}: ${(e as Error).stack}`);
      }
      const { missing, unexpected } = compare(expectations, diags);
      if (missing.length || unexpected.length) {
        const lines = [`${rel(f)}:`];
        if (missing.length) lines.push('  expected but not reported:', ...missing.map((e) => `    ${e.source}`));
        if (unexpected.length) lines.push('  reported but not expected:', ...unexpected.map((d) => `    ${fmtDiag(d)}`));
        const all = diags.filter((d) => d.severity === 'error' || d.severity === 'warning');
        lines.push('  all errors and warnings:', report(all) || '    (none)');
        assert.fail(lines.join('\n'));
      }
    });
  }
});

describe('examples and prelude check clean', () => {
  for (const f of existsSync(examplesDir) ? listSnn(examplesDir) : []) {
    it(rel(f), () => {
      const errors = checkFile(f).filter((d) => d.severity === 'error');
      assert.equal(errors.length, 0, report(errors));
    });
  }
  it('prelude (analysed as the prelude)', () => {
    const p = freshProgram();
    const problems: string[] = [];
    for (const a of p.preludeDiagnostics()) {
      for (const d of a.diagnostics) if (d.severity === 1) problems.push(`${basename(a.uri)}: ${d.message}`);
    }
    assert.ok(p.preludeDiagnostics().length >= 2, 'prelude files were not analysed');
    assert.deepEqual(problems, []);
  });
  for (const f of listSnn(preludeDir)) {
    it(`${rel(f)} (checked as an ordinary file)`, () => {
      // Opened from disk as a user file, a prelude file redefines the built-in models, which
      // is allowed (a file may shadow the prelude); it must have no errors either.
      const errors = checkFile(f).filter((d) => d.severity === 'error');
      assert.equal(errors.length, 0, report(errors));
    });
  }
});

// ---- coverage of LANGUAGE.md by the valid corpus ---------------------------------------------

/** Every construct of LANGUAGE.md; the valid corpus must use each at least once. */
const CONSTRUCTS = [
  // lexical
  'lex:line-comment', 'lex:block-comment', 'lex:doc-comment', 'lex:semicolon', 'lex:continuation-operator', 'lex:continuation-bracket',
  'lex:number-int', 'lex:number-decimal', 'lex:number-exponent', 'lex:number-leading-point', 'lex:string', 'lex:crlf',
  // units
  'unit:simple', 'unit:compound-div', 'unit:compound-mul', 'unit:power', 'unit:dimensionless-1', 'unit:weight', 'unit:none',
  ...['rad', 'percent', 'ohm', 'kg', 'Ohm', 'MOhm', 'kHz', 'um', 'uS', 'pF', 'nA'].map((u) => `unit:${u}`),
  // items
  ...['model', 'import', 'neuron', 'synapse', 'population', 'connect', 'input', 'readout', 'probe', 'task', 'concept', 'target', 'simulate'].map((k) => `item:${k}`),
  // model sections and declarations
  ...['parameters', 'state', 'equations', 'method', 'spike', 'reset', 'refractory', 'on_pre', 'on_post'].map((k) => `section:${k}`),
  ...['euler', 'rk2', 'rk4', 'exact', 'exponential'].map((k) => `method:${k}`),
  'param:default', 'param:required', 'state:unit+init', 'state:init', 'equation:ode', 'equation:alias', 'equation:dw/dt', 'doc:model',
  ...['=', '+=', '-=', '*=', '/='].map((k) => `assign:${k}`),
  'member:pre', 'member:post', 'member:mod', 'synapse:target', 'synapse:w',
  // expressions
  ...['+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', 'and', 'or'].map((k) => `op:${k}`), 'op:unary-', 'op:not', 'op:parens',
  ...['exp', 'exprel', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'heaviside', 'min', 'max', 'clip', 'rand', 'randn', 'from_file'].map((k) => `call:${k}`),
  ...['normal', 'uniform', 'lognormal', 'exponential'].map((k) => `dist:${k}`),
  ...['t', 'dt', 'i', 'N', 'xi'].map((k) => `builtin:${k}`),
  // network
  'population:init-state', 'population:init-parameter', 'population:distribution', 'population:doc',
  'population:every', 'population:at', 'population:at-list',
  ...['ring', 'line', 'grid'].map((k) => `layout:${k}`), 'population:spacing',
  ...['all_to_all', 'one_to_one', 'random', 'fixed_indegree', 'distance', 'ring_kernel', 'from_file'].map((k) => `rule:${k}`), 'rule:positional-arg',
  'connect:named', 'connect:multi-target', 'connect:slice',
  // (inline on_post and several inline on_pre statements are refused: the engine does not run
  // them; test/corpus/invalid/inline_statements.snn)
  ...['rule', 'weight', 'delay', 'target', 'synapse', 'on_pre', 'modulated_by', 'autapses'].map((k) => `connect:${k}`),
  'connect:weight-distribution', 'connect:delay-distribution', 'connect:synapse-overrides', 'connect:input-source',
  ...['poisson', 'spike_array', 'event_file', 'current_step'].map((k) => `input:${k}`), 'input:current_step-slice',
  ...['ridge', 'onnx'].map((k) => `readout:${k}`),
  ...['loihi2', 'spinnaker2', 'memristor'].map((k) => `target:${k}`),
  'probe:spikes', 'probe:variable', 'probe:every', 'probe:slice', 'probe:connection',
  'task:window', 'task:stimulus', 'task:stimulus-list', 'readout:task',
  ...['stimulus', 'during', 'description'].map((k) => `concept:${k}`),
  ...['dt', 'duration', 'seed', 'backend', 'threads'].map((k) => `simulate:${k}`), ...['auto', 'wasm', 'webgpu'].map((k) => `backend:${k}`),
  // prelude
  ...['LIF', 'CobaLIF', 'Izhikevich', 'AdEx', 'PoissonNeuron', 'ELM', 'Astrocyte', 'HomeostaticLIF'].map((k) => `prelude:${k}`),
  ...['Static', 'PairSTDP', 'CalciumHebbian', 'AstroSTDP'].map((k) => `prelude:${k}`),
  'import:subfolder', 'import:transitive',
];

function exprsOf(node: unknown, out: A.Expr[]): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) exprsOf(x, out);
    return;
  }
  const n = node as Record<string, unknown>;
  const kinds = ['number', 'string', 'bool', 'name', 'binary', 'unary', 'call', 'member', 'index', 'list', 'range', 'error'];
  if (typeof n.kind === 'string' && kinds.includes(n.kind) && typeof n.start === 'number') {
    out.push(node as A.Expr);
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'keyword' && k !== 'name') exprsOf(v, out);
}

function visitExpr(e: A.Expr, text: string, seen: Set<string>): void {
  walk(e, (x) => {
    if (text[x.start] === '(' && x.kind !== 'list') seen.add('op:parens');
    switch (x.kind) {
      case 'binary':
        seen.add(`op:${x.op}`);
        break;
      case 'unary':
        seen.add(x.op === 'not' ? 'op:not' : `op:unary${x.op}`);
        break;
      case 'call':
        seen.add(`call:${x.callee.name}`);
        seen.add(`dist:${x.callee.name}`);
        break;
      case 'member':
        if (x.object.kind === 'name') seen.add(`member:${x.object.name}`);
        break;
      case 'name':
        seen.add(`builtin:${x.name}`);
        if (x.name === 'w') seen.add('synapse:w');
        if (x.name === 'target') seen.add('synapse:target');
        break;
      case 'number':
        if (x.unit) unitSeen(x.unit, seen);
        else if (x.value !== 0) seen.add('unit:none');
        break;
    }
  });
}

function unitSeen(u: A.UnitExpr, seen: Set<string>): void {
  for (const t of u.terms) seen.add(`unit:${t.symbol}`);
  if (u.terms.length === 1 && u.terms[0].exp === 1) seen.add('unit:simple');
  if (u.terms.some((t) => t.symbol === '1')) seen.add('unit:dimensionless-1');
  if (u.terms.some((t) => t.symbol === 'weight')) seen.add('unit:weight');
  if (u.terms.some((t) => Math.abs(t.exp) > 1)) seen.add('unit:power');
  if (u.terms.length > 1 && u.terms.some((t) => t.exp < 0)) seen.add('unit:compound-div');
  if (u.terms.filter((t) => t.exp > 0).length > 1) seen.add('unit:compound-mul');
}

function constructsOf(path: string, seen: Set<string>): void {
  const text = read(path);
  const ast = parse(text);
  // Lexical forms.
  const { tokens, comments } = lex(text);
  for (const c of comments) seen.add(c.block ? 'lex:block-comment' : c.doc ? 'lex:doc-comment' : 'lex:line-comment');
  if (text.includes('\r\n')) seen.add('lex:crlf');
  let depth = 0;
  tokens.forEach((t, k) => {
    if (t.kind === 'punct' && t.text === ';') seen.add('lex:semicolon');
    if (t.kind === 'string') seen.add('lex:string');
    if (t.kind === 'number') {
      if (/^\d+$/.test(t.text)) seen.add('lex:number-int');
      if (/^\d+\.\d+$/.test(t.text)) seen.add('lex:number-decimal');
      if (/e/i.test(t.text)) seen.add('lex:number-exponent');
      if (t.text.startsWith('.')) seen.add('lex:number-leading-point');
    }
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[')) depth++;
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']')) depth = Math.max(0, depth - 1);
    if (t.kind === 'punct' && t.text === '{') depth = 0;
    const next = tokens[k + 1];
    if (next && text.slice(t.end, next.start).includes('\n') && next.kind !== 'eof') {
      const between = text.slice(t.end, next.start);
      if (t.kind === 'punct' && ['+', '-', '*', '/'].includes(t.text) && !between.includes('//')) seen.add('lex:continuation-operator');
      if (depth > 0 && t.kind !== 'newline') seen.add('lex:continuation-bracket');
    }
  });
  const inputs = new Set(ast.items.filter((i): i is A.BlockDef => i.kind === 'input').map((i) => i.name?.name));
  for (const it of ast.items) {
    seen.add(`item:${it.kind}`);
    const exprs: A.Expr[] = [];
    exprsOf(it, exprs);
    for (const e of exprs) visitExpr(e, text, seen);
    switch (it.kind) {
      case 'import':
        if (it.path.value.includes('/')) seen.add('import:subfolder');
        break;
      case 'neuron':
      case 'synapse': {
        if (it.doc) seen.add('doc:model');
        if (it.parameters.length) seen.add('section:parameters');
        if (it.state.length) seen.add('section:state');
        if (it.equations.length) seen.add('section:equations');
        if (it.method) {
          seen.add('section:method');
          seen.add(`method:${it.method.name}`);
        }
        if (it.spike) seen.add('section:spike');
        if (it.reset) seen.add('section:reset');
        if (it.refractory) seen.add('section:refractory');
        if (it.onPre) seen.add('section:on_pre');
        if (it.onPost) seen.add('section:on_post');
        for (const p of it.parameters) {
          seen.add(p.value ? 'param:default' : 'param:required');
          if (p.unit) unitSeen(p.unit, seen);
        }
        for (const s of it.state) {
          if (s.unit && s.value) seen.add('state:unit+init');
          else if (s.value) seen.add('state:init');
          if (s.unit) unitSeen(s.unit, seen);
        }
        for (const eq of it.equations) {
          seen.add(`equation:${eq.kind}`);
          if (eq.kind === 'ode' && eq.variable.name === 'w' && it.kind === 'synapse') seen.add('equation:dw/dt');
        }
        for (const s of [...(it.reset ?? []), ...(it.onPre ?? []), ...(it.onPost ?? [])]) seen.add(`assign:${s.op}`);
        break;
      }
      case 'population': {
        seen.add(`prelude:${it.model.name}`);
        if (it.doc) seen.add('population:doc');
        for (const a of it.inits) {
          if (a.value.kind === 'call') seen.add('population:distribution');
          // State or parameter: decided by the prelude's declarations for the common names.
          const name = a.target.kind === 'name' ? a.target.name : '';
          seen.add(['v', 'g_e', 'g_i', 'u', 'w', 'ca', 'x'].includes(name) ? 'population:init-state' : 'population:init-parameter');
        }
        for (const p of it.props) {
          if (p.key.name === 'layout') seen.add(`layout:${p.value.kind === 'call' ? p.value.callee.name : p.value.kind === 'name' ? p.value.name : '?'}`);
          if (p.key.name === 'spacing') seen.add('population:spacing');
        }
        for (const sc of it.schedules ?? []) seen.add(`population:${sc.keyword.name}${sc.when.kind === 'list' ? '-list' : ''}`);
        break;
      }
      case 'connect': {
        if (it.name) seen.add('connect:named');
        if (it.targets.length > 1) seen.add('connect:multi-target');
        if ([...it.sources, ...it.targets].some((s) => s.range)) seen.add('connect:slice');
        if (it.sources.some((s) => inputs.has(s.name.name))) seen.add('connect:input-source');
        for (const p of it.props) {
          seen.add(`connect:${p.key.name}`);
          const v = p.value;
          if (p.key.name === 'rule') {
            const name = v.kind === 'call' ? v.callee.name : v.kind === 'name' ? v.name : '?';
            seen.add(`rule:${name}`);
            if (v.kind === 'call' && v.args.some((a) => !a.name)) seen.add('rule:positional-arg');
          }
          if (p.key.name === 'weight' && v.kind === 'call') seen.add('connect:weight-distribution');
          if (p.key.name === 'delay' && v.kind === 'call') seen.add('connect:delay-distribution');
          if (p.key.name === 'synapse') {
            const name = v.kind === 'call' ? v.callee.name : v.kind === 'name' ? v.name : '?';
            seen.add(`prelude:${name}`);
            if (v.kind === 'call' && v.args.length) seen.add('connect:synapse-overrides');
          }
        }
        break;
      }
      case 'input':
        if (it.type) seen.add(`input:${it.type.name}`);
        if (it.type?.name === 'current_step' && it.props.some((p) => p.key.name === 'target' && p.value.kind === 'member' && p.value.object.kind === 'index')) {
          seen.add('input:current_step-slice');
        }
        break;
      case 'readout':
        if (it.type) seen.add(`readout:${it.type.name}`);
        if (it.props.some((p) => p.key.name === 'task')) seen.add('readout:task');
        break;
      case 'target':
        if (it.type) seen.add(`target:${it.type.name}`);
        break;
      case 'probe':
        seen.add(it.variable.name === 'spikes' ? 'probe:spikes' : 'probe:variable');
        if (it.every) seen.add('probe:every');
        if (it.targets.some((t) => t.range)) seen.add('probe:slice');
        if (it.variable.name === 'w') seen.add('probe:connection');
        break;
      case 'task':
        if (it.windows.length) seen.add('task:window');
        if (it.props.some((p) => p.key.name === 'stimulus')) seen.add('task:stimulus');
        if (it.props.some((p) => p.key.name === 'stimulus' && p.value.kind === 'list')) seen.add('task:stimulus-list');
        break;
      case 'concept':
        for (const p of it.props) seen.add(`concept:${p.key.name}`);
        break;
      case 'simulate':
        for (const p of it.props) {
          seen.add(`simulate:${p.key.name}`);
          if (p.key.name === 'backend' && p.value.kind === 'name') seen.add(`backend:${p.value.name}`);
        }
        break;
    }
  }
}

describe('valid corpus covers every construct of LANGUAGE.md', () => {
  it('uses each construct at least once', () => {
    const seen = new Set<string>();
    for (const f of validFiles) constructsOf(f, seen);
    // An import of a file that itself imports: some imported file has an import of its own.
    const importers = validFiles.filter((f) => parse(read(f)).items.some((i) => i.kind === 'import'));
    for (const f of importers) {
      for (const it of parse(read(f)).items) {
        if (it.kind !== 'import') continue;
        const target = join(f, '..', it.path.value);
        if (existsSync(target) && parse(read(target)).items.some((i) => i.kind === 'import')) seen.add('import:transitive');
      }
    }
    const missing = CONSTRUCTS.filter((c) => !seen.has(c));
    assert.deepEqual(missing, [], `constructs not used by any file in test/corpus/valid: ${missing.join(', ')}`);
  });
});

// ---- spikeworks check ----------------------------------------------------------------------

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): RunResult {
  const r = spawnSync(process.execPath, [distCli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const HUMAN = /^(.+):(\d+):(\d+): (error|warning|information|hint): (.+)$/;

interface JsonPos {
  line: number;
  character: number;
}

function assertJsonShape(out: unknown): asserts out is { files: { path: string; diagnostics: { severity: string; message: string; code: string; range: { start: JsonPos; end: JsonPos } }[] }[] } {
  assert.ok(out && typeof out === 'object', 'not an object');
  const files = (out as { files?: unknown }).files;
  assert.ok(Array.isArray(files), '"files" is not an array');
  for (const f of files) {
    assert.equal(typeof f.path, 'string', 'file.path');
    assert.ok(Array.isArray(f.diagnostics), 'file.diagnostics');
    for (const d of f.diagnostics) {
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity), `severity ${d.severity}`);
      assert.equal(typeof d.message, 'string');
      assert.ok(d.message.length > 0, 'empty message');
      assert.ok(typeof d.code === 'string' || typeof d.code === 'number', `code ${d.code}`);
      for (const p of [d.range?.start, d.range?.end]) {
        assert.ok(p && Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0, `bad position ${JSON.stringify(p)}`);
      }
    }
  }
}

describe('spikeworks check (node dist/cli.js)', () => {
  const coba = 'examples/coba.snn';
  const ode = 'test/corpus/invalid/ode_dimension.snn';
  const two = 'test/corpus/invalid/syntax_two_errors.snn';
  const warnOnly = 'test/corpus/invalid/dt_coarse_warning.snn';

  before(() => ensureBuilt());

  it('a clean file: exit 0, nothing on stdout', () => {
    const r = cli('check', coba);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  it('a file with an error: exit 1, `path:line:col: error: message` with 1-based positions', () => {
    const r = cli('check', ode);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const m = HUMAN.exec(lines[0]);
    assert.ok(m, `not in the human format: ${lines[0]}`);
    const [exp] = parseExpectations(read(join(repoRoot, ode))).expectations;
    assert.equal(m[1], ode, 'the path as given on the command line');
    assert.deepEqual([+m[2], +m[3]], [exp.startLine, exp.startCol], 'line:col of the error (1-based)');
    assert.equal(m[4], 'error');
    assert.match(m[5], /unit mismatch: volt vs volt\/second/);
  });

  it('human format lists every diagnostic of every file, in order', () => {
    const r = cli('check', two, coba, ode);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) assert.match(l, HUMAN);
    const paths = lines.map((l) => HUMAN.exec(l)![1]);
    assert.deepEqual([...new Set(paths)], [two, ode]);
    const positions = lines.filter((l) => l.startsWith(two)).map((l) => HUMAN.exec(l)!).map((m) => [+m[2], +m[3]]);
    const expected = parseExpectations(read(join(repoRoot, two))).expectations.map((e) => [e.startLine, e.startCol]);
    assert.deepEqual(positions, expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  it('warnings only: exit 0, the warning is printed', () => {
    const r = cli('check', warnOnly);
    assert.equal(r.status, 0, r.stderr);
    const m = HUMAN.exec(r.stdout.trimEnd());
    assert.ok(m, r.stdout);
    assert.equal(m[4], 'warning');
  });

  it('--format json: one object, 0-based ranges equal to the library diagnostics', () => {
    const files = [coba, ode, two, warnOnly];
    const r = cli('check', ...files, '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    const text = r.stdout.trim();
    assert.ok(!text.includes('\n'), 'JSON output is one line');
    const out = JSON.parse(text);
    assertJsonShape(out);
    assert.deepEqual(out.files.map((f) => f.path), files);
    for (const f of out.files) {
      const lib = checkFile(join(repoRoot, f.path));
      const got = f.diagnostics.map((d) => `${d.severity} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message} [${d.code}]`).sort();
      const want = lib.map((d) => fmtDiag(d)).sort();
      assert.deepEqual(got, want, f.path);
    }
    const odeOut = out.files.find((f) => f.path === ode)!;
    const [exp] = parseExpectations(read(join(repoRoot, ode))).expectations;
    assert.deepEqual(odeOut.diagnostics[0].range, {
      start: { line: exp.startLine - 1, character: exp.startCol - 1 },
      end: { line: exp.endLine - 1, character: exp.endCol - 1 },
    }, `JSON range of ${fmtRange(exp)}`);
    assert.equal(odeOut.diagnostics[0].severity, 'error');
    assert.equal(odeOut.diagnostics[0].code, 'unit-mismatch');
  });

  it('--format=json is the same as --format json; clean files exit 0', () => {
    const a = cli('check', '--format=json', coba);
    const b = cli('check', coba, '--format', 'json');
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(a.stdout, b.stdout);
    const out = JSON.parse(a.stdout);
    assertJsonShape(out);
    assert.deepEqual(out, { files: [{ path: coba, diagnostics: [] }] });
  });

  it('warnings only in JSON: exit 0', () => {
    const r = cli('check', '--format', 'json', warnOnly);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assertJsonShape(out);
    assert.deepEqual(out.files[0].diagnostics.map((d) => d.severity), ['warning']);
  });

  for (const [what, args] of [
    ['no arguments', []],
    ['an unknown command', ['frobnicate', coba]],
    ['check without files', ['check']],
    ['check with only an option', ['check', '--format', 'json']],
    ['an unknown format', ['check', coba, '--format', 'xml']],
    ['--format without a value', ['check', coba, '--format']],
    ['an unknown option', ['check', '--frobnicate', coba]],
  ] as [string, string[]][]) {
    it(`bad usage (${what}): exit 2, message on stderr, nothing on stdout`, () => {
      const r = cli(...args);
      assert.equal(r.status, 2, `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.trim().length > 0, 'no usage message');
    });
  }

  it('--help and --version exit 0', () => {
    const h = cli('--help');
    assert.equal(h.status, 0);
    assert.match(h.stdout, /check/);
    const v = cli('--version');
    assert.equal(v.status, 0);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+/);
  });

  it('a file that does not exist is reported, not silently passed', () => {
    const r = cli('check', 'test/corpus/no-such-file.snn', '--format', 'json');
    assert.ok(r.status === 1 || r.status === 2, `exit ${r.status}`);
    if (r.status === 1) {
      const out = JSON.parse(r.stdout);
      assertJsonShape(out);
      assert.equal(out.files[0].path, 'test/corpus/no-such-file.snn');
      assert.ok(out.files[0].diagnostics.some((d) => d.severity === 'error'), 'an error diagnostic for the missing file');
    }
  });
});
