// Imports that `check` must agree with `run`/`export` about (issue 12, items 12 and 13):
// - an imported file with errors is an error at the import, naming that file and its first
//   error's line:col; `check` exits 1 and `export` refuses;
// - a 1,000-deep chain of files (each importing the next) gives a located "import chain deeper
//   than 64" error as JSON from `check --format json` (no stack overflow, no "internal error"),
//   and the language server answers for it and keeps running.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { MAX_IMPORT_DEPTH } from '../language-server/src/program';
import { distCli, ensureBuilt } from './helpers/build';
import { LspClient } from './helpers/lsp-client';

const CHAIN = 1000;
let tmp = '';

const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [distCli, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

before(() => {
  ensureBuilt();
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), 'spikeworks-imports-')));
  fs.mkdirSync(path.join(tmp, 'chain'));
  for (let k = 0; k < CHAIN; k++) fs.writeFileSync(path.join(tmp, 'chain', `c${k}.snn`), `model c${k}\nimport "c${k + 1}.snn"\n`);
  fs.writeFileSync(path.join(tmp, 'chain', `c${CHAIN}.snn`), `model c${CHAIN}\n`);
  fs.writeFileSync(path.join(tmp, 'lib.snn'), 'model lib\n\nneuron Broken {\n  parameters { V_th = 1 nS }\n  state { v: mV = 0 mV }\n  equations { dv/dt = -v / (10 ms) }\n  spike when v > V_th\n}\n');
  fs.writeFileSync(path.join(tmp, 'main.snn'), 'model main\nimport "lib.snn"\n\npopulation exc = LIF[10]\n');
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('an imported file with errors', () => {
  it('check: an error at the import naming the file and its first error; exit 1, as export refuses', () => {
    const r = cli(['check', 'main.snn'], tmp);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.equal(r.stdout, "main.snn:2:8: error: 'lib.snn' has errors; the first is at lib.snn:7:14: unit mismatch: volt vs siemens (cannot combine them in a comparison)\n");
    const e = cli(['export', 'main.snn'], tmp);
    assert.equal(e.status, 1);
    assert.match(e.stderr, /lib\.snn:7:14: error: unit mismatch/);
  });
});

describe(`a ${CHAIN}-deep import chain`, { timeout: 120_000 }, () => {
  it('check --format json: JSON with a located error, exit 1', () => {
    const r = cli(['check', '--format', 'json', 'c0.snn'], path.join(tmp, 'chain'));
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error/);
    const out = JSON.parse(r.stdout);
    const [d] = out.files[0].diagnostics;
    assert.equal(d.severity, 'error');
    assert.equal(d.code, 'import-errors');
    assert.deepEqual(d.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 15 } });
    assert.ok(d.message.includes(`import chain deeper than ${MAX_IMPORT_DEPTH} files`), d.message);
    assert.ok(d.message.includes(`c${MAX_IMPORT_DEPTH - 1}.snn:2:8`), d.message);
    // The file where the chain is cut says so at its import.
    const deep = cli(['check', '--format', 'json', `c${CHAIN - MAX_IMPORT_DEPTH}.snn`], path.join(tmp, 'chain'));
    assert.equal(deep.status, 1);
    assert.ok(JSON.parse(deep.stdout).files[0].diagnostics[0].message.includes('import chain deeper than'));
    // A chain within the bound checks clean.
    const near = cli(['check', `c${CHAIN - MAX_IMPORT_DEPTH + 1}.snn`], path.join(tmp, 'chain'));
    assert.equal(near.status, 0, near.stdout + near.stderr);
  });

  it('the language server publishes the error, answers requests and keeps running', async () => {
    const client = new LspClient();
    try {
      const root = URI.file(path.join(tmp, 'chain')).toString();
      await client.initialize(root);
      const uri = URI.file(path.join(tmp, 'chain', 'c0.snn')).toString();
      const wait = client.waitForDiagnostics(uri, 1, 60_000);
      client.open(uri, fs.readFileSync(path.join(tmp, 'chain', 'c0.snn'), 'utf8'), 1);
      const p = await wait;
      assert.equal(p.diagnostics.length, 1);
      assert.ok(p.diagnostics[0].message.includes(`import chain deeper than ${MAX_IMPORT_DEPTH} files`), p.diagnostics[0].message);
      // References across the workspace analyse every file of the chain: each is bounded too.
      const refs = await client.request('textDocument/references', { textDocument: { uri }, position: { line: 0, character: 7 }, context: { includeDeclaration: true } }, 60_000);
      assert.ok(Array.isArray(refs));
      const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      assert.ok(Array.isArray(symbols) && symbols.length >= 1);
      assert.equal(client.exited, false);
      assert.doesNotMatch(client.stderr, /Maximum call stack|RangeError/);
    } finally {
      await client.close();
      client.kill();
    }
  });
});

describe('import paths with a lone surrogate (text mangled mid-edit)', () => {
  it('check to a located "cannot find" instead of throwing in URI encoding (fuzz: rpc-mutation of import_missing.snn)', async () => {
    const { freshProgram } = await import('./helpers/corpus');
    const program = freshProgram();
    const uri = 'file:///virtual/surrogate.snn';
    program.setText(uri, 'model surrogate\nimport "cells/do\uD800es_not_exist.snn"\npopulation p = LIF[1]\n');
    const d = program.analyze(uri).diagnostics;
    assert.ok(d.some((x) => /cannot find/.test(x.message)), JSON.stringify(d));
  });
});
