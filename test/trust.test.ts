// Files a model names are read without trusting the name (issue 12, items 1, 3 and 14):
// - untrusted workspace: no data file is even stat'ed; the diagnostic says "data files are read
//   once the workspace is trusted" at the path; trusting re-checks with the values;
// - trusted: only regular files inside the roots after symlinks are resolved (absolute paths such
//   as /proc/self/environ, ../../.. paths and symlinks out of the root are refused unread), and
//   imports inside the roots or next to the importing file;
// - sizes before reading: a sparse .snn over 4 MiB and a sparse CSV over 32 MiB are refused
//   without a read; a FIFO never blocks;
// - each data file is read and parsed once per (real path, mtime, size), across checks.
// The CLI part runs dist/cli.js: a 600 MiB sparse .snn is an error (exit 1), --allow-read.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { loadPrelude, nodeHost } from '../language-server/src/node-host';
import { MAX_DATA_BYTES, MAX_FILE_BYTES, Program, UNTRUSTED_DATA, type Host } from '../language-server/src/program';
import { lower } from '../language-server/src/lower';
import { lowerModel } from '../language-server/src/ide';
import { Severity } from '../language-server/src/diagnostics';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';

const prelude = loadPrelude(path.join(repoRoot, 'language-server'));
let tmp = '';
let ws = '';
let outside = '';

/** nodeHost, counting what it is asked to stat and read (by file-system path). */
function countingHost() {
  const stats: string[] = [];
  const reads: string[] = [];
  const host: Host = {
    readFile: (uri) => {
      reads.push(URI.parse(uri).fsPath);
      return nodeHost.readFile(uri);
    },
    stat: (uri, req) => {
      stats.push(URI.parse(uri).fsPath);
      return nodeHost.stat!(uri, req);
    },
    readText: (uri, req) => {
      reads.push(URI.parse(uri).fsPath);
      return nodeHost.readText!(uri, req);
    },
  };
  return { host, stats, reads };
}

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const uriOf = (file: string) => URI.file(file).toString();

function errors(p: Program, file: string) {
  return p.analyze(uriOf(file)).diagnostics.filter((d) => d.severity === Severity.Error);
}

/** The text a diagnostic's span covers. */
function spanText(file: string, d: { start: number; end: number }): string {
  return fs.readFileSync(file, 'utf8').slice(d.start, d.end);
}

const SECRET = 'SPIKEWORKS_SECRET=hunter2';

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'spikeworks-trust-')));
  ws = path.join(tmp, 'ws');
  outside = path.join(tmp, 'outside');
  write(path.join(ws, 'data', 'tau.csv'), 'tau_m\n10\n20\n');
  write(path.join(outside, 'secret.csv'), `${SECRET}\n1\n2\n`);
  write(path.join(outside, 'lib.snn'), 'model lib\n');
  fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(ws, 'data', 'link.csv'));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('data files and trust', () => {
  it('untrusted: no data file is stat-ed or read, the diagnostic says so at the path; trusting reads the values', () => {
    const model = write(path.join(ws, 'untrusted.snn'), 'population a = LIF[2] { tau_m = from_file("data/tau.csv", unit = ms) }\n');
    const { host, stats, reads } = countingHost();
    const p = new Program(host, prelude);
    p.setAccess({ trusted: false, roots: [ws] });
    const es = errors(p, model);
    assert.equal(es.length, 1, JSON.stringify(es));
    assert.ok(es[0].message.includes(UNTRUSTED_DATA), es[0].message);
    assert.equal(es[0].code, 'untrusted');
    assert.equal(spanText(model, es[0]), '"data/tau.csv"');
    assert.deepEqual([...stats, ...reads].filter((f) => f.endsWith('.csv')), []);
    // A path that would be refused if looked at: still not looked at.
    const model2 = write(path.join(ws, 'untrusted2.snn'), 'population a = LIF[2] { tau_m = from_file("/proc/self/environ", unit = ms) }\n');
    assert.ok(errors(p, model2)[0].message.includes(UNTRUSTED_DATA));
    assert.deepEqual([...stats, ...reads].filter((f) => !f.endsWith('.snn')), []);
    p.setAccess({ trusted: true, roots: [ws] });
    assert.deepEqual(errors(p, model), []);
    // Lowered as the CLI and the extension lower it (the façade), under the same policy.
    const r = lowerModel({ file: model }, { host, prelude, access: { trusted: true, roots: [ws] } });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.ir.populations[0].parameters.tau_m, { kind: 'list', values: [0.01, 0.02], file: 'data/tau.csv' });
  });

  it('trusted: absolute, ../ and symlinked paths out of the roots are refused unread, their contents never echoed', () => {
    const rel = path.relative(ws, path.join(outside, 'secret.csv'));
    const deep = `${'../'.repeat(12)}${path.join(outside, 'secret.csv').slice(1)}`;
    const lines = [
      'population a = LIF[2] { tau_m = from_file("/proc/self/environ", unit = ms) }',
      `population b = LIF[2] { tau_m = from_file("${deep}", unit = ms) }`,
      'population c = LIF[2] { tau_m = from_file("data/link.csv", unit = ms) }',
      `population d = LIF[2] { tau_m = from_file("${rel}", unit = ms) }`,
      `population e = LIF[2] { tau_m = from_file("${path.join(outside, 'secret.csv')}", unit = ms) }`,
    ];
    const model = write(path.join(ws, 'escape.snn'), lines.join('\n') + '\n');
    const { host, reads } = countingHost();
    const p = new Program(host, prelude);
    p.setAccess({ trusted: true, roots: [ws] });
    const es = errors(p, model);
    assert.equal(es.length, lines.length, JSON.stringify(es.map((e) => e.message)));
    for (const e of es) {
      assert.match(e.message, /is outside the workspace; data files outside the workspace folders are not read/);
      assert.ok(!e.message.includes('hunter2') && !e.message.includes('SPIKEWORKS_SECRET'), e.message);
      assert.ok(spanText(model, e).startsWith('"'), spanText(model, e));
    }
    assert.deepEqual(reads.filter((f) => !f.endsWith('.snn')), [], 'nothing but the model was read');
    // Without roots (a library caller), the same file is read — and still not echoed.
    const free = new Program(nodeHost, prelude);
    const e2 = errors(free, model).find((e) => e.message.includes('link.csv'));
    assert.ok(e2 && e2.message.includes('does not name columns') && !e2.message.includes('hunter2'), e2?.message);
  });

  it('a server without workspace folders (roots = []) reads data files only in the model\'s folder', () => {
    const model = write(path.join(ws, 'nofolder.snn'), [
      'population a = LIF[2] { tau_m = from_file("data/tau.csv", unit = ms) }',
      'population b = LIF[2] { tau_m = from_file("../outside/secret.csv", unit = ms) }',
    ].join('\n') + '\n');
    const p = new Program(nodeHost, prelude);
    p.setAccess({ trusted: true, roots: [] });
    const es = errors(p, model);
    assert.equal(es.length, 1, JSON.stringify(es));
    assert.equal(spanText(model, es[0]), '"../outside/secret.csv"');
    assert.match(es[0].message, /outside the workspace/);
  });

  it('imports: inside the roots or next to the importing file; others are refused unread', () => {
    write(path.join(ws, 'lib', 'cells.snn'), 'model cells\n');
    const model = write(path.join(ws, 'imports.snn'), [
      'model imports',
      'import "lib/cells.snn"',
      'import "../outside/lib.snn"',
      `import "${path.join(outside, 'lib.snn')}"`,
    ].join('\n') + '\n');
    const { host, reads } = countingHost();
    const p = new Program(host, prelude);
    p.setAccess({ trusted: true, roots: [ws] });
    const es = errors(p, model);
    assert.deepEqual(es.map((e) => spanText(model, e)), ['"../outside/lib.snn"', `"${path.join(outside, 'lib.snn')}"`]);
    for (const e of es) assert.match(e.message, /is outside the workspace and not next to this file; it is not read/);
    assert.deepEqual(reads.filter((f) => f.startsWith(outside)), []);
    // A model outside every root may import the files next to it.
    const side = write(path.join(outside, 'side.snn'), 'model side\nimport "lib.snn"\n');
    assert.deepEqual(errors(p, side), []);
  });
});

describe('sizes before reading', () => {
  it('a sparse .snn over the limit is an error at 1:1 and is never read', () => {
    const big = path.join(ws, 'big.snn');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, MAX_FILE_BYTES + 1);
    const { host, reads } = countingHost();
    const p = new Program(host, prelude);
    const es = errors(p, big);
    assert.equal(es.length, 1);
    assert.equal(es[0].code, 'too-large');
    assert.deepEqual([es[0].start, es[0].end], [0, 0]);
    assert.match(es[0].message, /files over 4 MiB are not checked/);
    assert.deepEqual(reads, []);
    // Imported, it is an error at the import, still unread.
    const imp = write(path.join(ws, 'imports_big.snn'), 'model imports_big\nimport "big.snn"\n');
    const ie = errors(p, imp);
    assert.equal(ie.length, 1);
    assert.match(ie[0].message, /'big\.snn': file is 4\.0 MiB; files over 4 MiB are not checked/);
    assert.deepEqual(reads.filter((f) => f === big), []);
  });

  it('a sparse CSV over 32 MiB and a FIFO are refused without reading (and without blocking)', () => {
    const csv = path.join(ws, 'data', 'huge.csv');
    fs.closeSync(fs.openSync(csv, 'w'));
    fs.truncateSync(csv, MAX_DATA_BYTES + 1);
    const fifo = path.join(ws, 'data', 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const model = write(path.join(ws, 'sizes.snn'), [
      'population a = LIF[2] { tau_m = from_file("data/huge.csv", unit = ms) }',
      'population b = LIF[2] { tau_m = from_file("data/pipe.csv", unit = ms) }',
    ].join('\n') + '\n');
    const { host, reads } = countingHost();
    const p = new Program(host, prelude);
    p.setAccess({ trusted: true, roots: [ws] });
    const es = errors(p, model);
    assert.equal(es.length, 2);
    assert.match(es[0].message, /'data\/huge\.csv' is 32\.0 MiB; value files over 32 MiB are not read/);
    assert.match(es[1].message, /'data\/pipe\.csv' is not a regular file/);
    assert.deepEqual(reads.filter((f) => f.endsWith('.csv')), []);
  });
});

describe('each data file is read once per check, and again only when it changes', () => {
  it('200 from_file calls on one file: one read; a second check: no read; a changed file: its new values', () => {
    const csv = write(path.join(ws, 'data', 'many.csv'), 'a,b\n1,2\n3,4\n');
    const calls = Array.from({ length: 200 }, (_, k) => `population p${k} = LIF[2] { tau_m = from_file("data/many.csv", column = "${k % 2 ? 'a' : 'b'}", unit = ms) }`);
    const model = write(path.join(ws, 'many.snn'), calls.join('\n') + '\n');
    const { host, stats, reads } = countingHost();
    const p = new Program(host, prelude);
    p.setAccess({ trusted: true, roots: [ws] });
    assert.deepEqual(errors(p, model), []);
    const csvReads = () => reads.filter((f) => f === csv).length;
    assert.equal(csvReads(), 1);
    assert.equal(stats.filter((f) => f === csv).length, 1, 'one stat per check');
    p.invalidate();
    assert.deepEqual(errors(p, model), []);
    assert.equal(csvReads(), 1, 'the second check reuses the parsed file');
    assert.equal(stats.filter((f) => f === csv).length, 2);
    const valuesOf = () => {
      const r = lower(p, uriOf(model));
      assert.ok(r.ok);
      return [r.ir.populations[0].parameters.tau_m, r.ir.populations[1].parameters.tau_m];
    };
    assert.deepEqual(valuesOf(), [{ kind: 'list', values: [0.002, 0.004], file: 'data/many.csv' }, { kind: 'list', values: [0.001, 0.003], file: 'data/many.csv' }]);
    // Same size, new contents and mtime: read again.
    fs.writeFileSync(csv, 'a,b\n5,6\n7,8\n');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(csv, later, later);
    p.invalidate();
    assert.deepEqual(valuesOf(), [{ kind: 'list', values: [0.006, 0.008], file: 'data/many.csv' }, { kind: 'list', values: [0.005, 0.007], file: 'data/many.csv' }]);
    assert.equal(csvReads(), 2);
  });
});

describe('spikeworks check (CLI): sizes, confinement, --allow-read', () => {
  before(() => ensureBuilt());
  const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [distCli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

  it('a 600 MiB sparse .snn is an error and exit 1, never "clean"', () => {
    const big = path.join(tmp, 'huge.snn');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 600 * 2 ** 20);
    const r = cli(['check', '--format', 'json', big], tmp);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.files[0].diagnostics[0].severity, 'error');
    assert.match(out.files[0].diagnostics[0].message, /600\.0 MiB; files over 4 MiB are not checked/);
  });

  it('data files outside the current folder and the model\'s are refused; --allow-read allows a folder', () => {
    const model = write(path.join(ws, 'cli', 'm.snn'), `population a = LIF[2] { tau_m = from_file("${path.join(outside, 'tau.csv')}", unit = ms) }\n`);
    write(path.join(outside, 'tau.csv'), 'tau_m\n10\n20\n');
    const r1 = cli(['check', model], ws);
    assert.equal(r1.status, 1);
    assert.match(r1.stdout, /m\.snn:1:43: error: '.*tau\.csv' is outside the workspace.*--allow-read DIR/);
    const r2 = cli(['check', '--allow-read', outside, model], ws);
    assert.equal(r2.status, 0, r2.stdout + r2.stderr);
    const r3 = cli(['check', model, '--allow-read'], ws);
    assert.equal(r3.status, 2);
    assert.match(r3.stderr, /--allow-read needs a folder/);
    assert.match(cli(['--help'], ws).stdout, /--allow-read DIR/);
  });
});
