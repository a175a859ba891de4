// Fuzzing the language: thousands of generated inputs (random bytes, token soup from the
// language's vocabulary, mutations of the examples, the corpus and the prelude, hand-made nasty
// inputs), seeded so that every run is reproducible.
//
//   SPIKEWORKS_FUZZ_SEED=<n>    seed (default 20240611); printed at the start
//   SPIKEWORKS_FUZZ_SCALE=<x>   multiplies the number of generated inputs (default 1)
//   SPIKEWORKS_FUZZ_OUT=<dir>   where failing inputs are written (default: a temp folder)
//
// Part 1, in process: for every input, parse + analyse and call every feature (completion,
// hover, definition, references, rename, formatting, semantic tokens, outline, folding, inlay
// hints) at random offsets. Nothing may throw, every input must finish within its time bound,
// results must be well-formed (offsets inside the text, outline selection inside its range,
// tokens in order...), and formatting must be idempotent and keep the token sequence.
// Part 2, the bundled server over JSON-RPC: a few hundred documents opened and edited, with
// requests at random positions; every request must be answered (errors only for documented
// refusals: prepareRename/rename), the server must never exit or log a handler failure, must
// publish diagnostics for every version it is left with, and must stay responsive.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { URI, Utils } from 'vscode-uri';
import { LineIndex } from '../language-server/src/text';
import { ensureBuilt } from './helpers/build';
import type { ChildMessage } from './helpers/fuzz-child';
import { BOUND_MS, generateInputs, mutate, randomToken, randomUtf16, Rng, ROOT, seedFiles, specials, tokenSoup, type Input } from './helpers/fuzz-gen';
import { LspClient, ResponseError, TimeoutError, type PublishDiagnostics } from './helpers/lsp-client';

const SEED = Number(process.env.SPIKEWORKS_FUZZ_SEED ?? 20240611) >>> 0;
const SCALE = Math.max(0.01, Number(process.env.SPIKEWORKS_FUZZ_SCALE ?? 1));
const n = (x: number) => Math.max(1, Math.round(x * SCALE));

// ---- failures ----------------------------------------------------------------------------------

interface Failure {
  input: Input;
  what: string;
  message: string;
}

/** Failures of one kind share a signature: the feature and the message without its specifics. */
function signature(f: Failure): string {
  const m = f.message
    .split('\n')[0]
    .replace(/ \| +at .*/, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/(format changed the tokens: #N) .*/, '$1 …');
  return `${f.what}: ${m.slice(0, 140)}`;
}

function summarise(failures: Failure[], dir: string): string {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const s = signature(f);
    if (!groups.has(s)) groups.set(s, []);
    groups.get(s)!.push(f);
  }
  mkdirSync(dir, { recursive: true });
  const lines = [`${failures.length} failures of ${groups.size} kinds (seed ${SEED}); the smallest input of each kind is in ${dir}:`];
  let k = 0;
  for (const [sig, fs] of groups) {
    const smallest = fs.reduce((a, b) => (b.input.text.length < a.input.text.length ? b : a));
    const file = join(dir, `failure-${++k}.snn`);
    writeFileSync(file, smallest.input.text);
    lines.push(`  [${fs.length}×] ${sig}`, `      e.g. ${smallest.input.name} (${smallest.input.text.length} chars, ${basename(file)}): ${smallest.message.split('\n')[0].slice(0, 200)}`);
    const names = [...new Set(fs.map((f) => f.input.name))];
    if (names.length > 1 && names.length <= 10) lines.push(`      inputs: ${names.join('; ')}`);
  }
  return lines.join('\n');
}

function outDir(): string {
  return process.env.SPIKEWORKS_FUZZ_OUT ?? join(tmpdir(), `spikeworks-fuzz-${SEED}`);
}

// ---- part 1: in process, in a child process the watchdog can kill --------------------------------

/** An input running longer than this is killed (and reported); its own bound decides failure. */
const killAfter = (i: Input) => Math.max(3 * i.bound, 6000);

async function runInProcess(inputs: Input[], log: (s: string) => void): Promise<{ failures: Failure[]; times: number[]; restarts: number }> {
  const failures: Failure[] = [];
  const times: number[] = new Array(inputs.length).fill(NaN);
  let restarts = 0;
  let from = 0;
  while (from < inputs.length) {
    const next = await new Promise<number>((resolve) => {
      const child = fork(join(__dirname, 'helpers', 'fuzz-child.ts'), [String(SEED), String(SCALE), String(from)], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let current = from;
      let step = '';
      let startedAt = Date.now();
      let done = false;
      const watchdog = setInterval(() => {
        if (Date.now() - startedAt > killAfter(inputs[current])) {
          failures.push({ input: inputs[current], what: step || 'start', message: `hangs: no result after ${killAfter(inputs[current])} ms (killed)` });
          log(`  watchdog: ${inputs[current].name} hangs in ${step}; killed, restarting after it`);
          finish(current + 1);
        }
      }, 200);
      const finish = (resumeAt: number) => {
        if (done) return;
        done = true;
        clearInterval(watchdog);
        child.kill('SIGKILL');
        resolve(resumeAt);
      };
      child.on('message', (m: ChildMessage) => {
        switch (m.t) {
          case 'start':
            current = m.k;
            step = '';
            startedAt = Date.now();
            break;
          case 'step':
            step = m.what;
            break;
          case 'fail':
            failures.push({ input: inputs[m.k], what: m.what, message: m.message });
            break;
          case 'end':
            times[m.k] = m.ms;
            if (m.ms > inputs[m.k].bound) failures.push({ input: inputs[m.k], what: 'time', message: `took ${m.ms.toFixed(0)} ms, bound ${inputs[m.k].bound} ms` });
            break;
          case 'done':
            finish(inputs.length);
            break;
        }
      });
      child.on('exit', (code, signal) => {
        if (done) return;
        failures.push({ input: inputs[current], what: step || 'start', message: `the process died (code ${code}, signal ${signal})` });
        finish(current + 1);
      });
    });
    if (next < inputs.length) restarts++;
    from = next;
  }
  return { failures, times, restarts };
}

// ---- part 2: over JSON-RPC -------------------------------------------------------------------

interface Doc {
  uri: string;
  text: string;
  version: number;
}

const REQUEST_MS = 10_000;

function lineCol(text: string, offset: number): { line: number; character: number } {
  return new LineIndex(text).position(offset);
}

async function startServer(ws: string): Promise<LspClient> {
  const client = new LspClient();
  await client.initialize(URI.file(ws).toString());
  return client;
}

async function runOverRpc(inputs: Input[], rng: Rng, log: (s: string) => void): Promise<{ failures: Failure[]; requests: number; docs: number; edits: number; restarts: number }> {
  ensureBuilt();
  const failures: Failure[] = [];
  const ws = mkdtempSync(join(tmpdir(), 'spikeworks-fuzz-ws-'));
  // A workspace with the valid corpus, so that imports resolve on disk.
  const prefix = `${ROOT}/test/corpus/valid/`;
  for (const f of seedFiles().filter((x) => x.path.startsWith(prefix))) {
    const p = join(ws, f.path.slice(prefix.length));
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, f.text);
  }
  let client = await startServer(ws);
  let requests = 0;
  let edits = 0;
  let docs = 0;
  let restarts = 0;
  const started = Date.now();
  try {
    for (const input of inputs) {
      const doc: Doc = { uri: Utils.joinPath(URI.file(ws), input.name.includes('itself') ? 'self.snn' : `doc${docs}.snn`).toString(), text: input.text, version: 1 };
      docs++;
      const fail = (what: string, message: string) => failures.push({ input: { ...input, text: doc.text }, what, message });
      client.open(doc.uri, doc.text, doc.version);
      // A few edits: incremental changes at random places (some reaching past the end of a line,
      // which the server clamps), or a whole new text.
      const nEdits = rng.int(0, 3);
      for (let e = 0; e < nEdits; e++) {
        doc.version++;
        edits++;
        if (rng.chance(0.2)) {
          doc.text = mutate(rng, doc.text, 2);
          client.change(doc.uri, doc.version, [{ text: doc.text }]);
        } else {
          const a = rng.int(0, doc.text.length);
          const b = Math.min(doc.text.length, a + rng.int(0, 20));
          const insert = rng.chance(0.5) ? randomToken(rng) : rng.chance(0.5) ? '' : tokenSoup(rng, rng.int(1, 5));
          const start = lineCol(doc.text, a);
          const end = lineCol(doc.text, b);
          if (rng.chance(0.1)) end.character += rng.int(1, 5);
          const endOffset = new LineIndex(doc.text).offset(end);
          client.change(doc.uri, doc.version, [{ range: { start, end }, text: insert }]);
          doc.text = doc.text.slice(0, a) + insert + doc.text.slice(Math.max(a, endOffset));
        }
      }
      const diagnostics = client.waitForDiagnostics(doc.uri, doc.version, REQUEST_MS);
      diagnostics.catch(() => undefined); // awaited below; never an unhandled rejection
      const td = { uri: doc.uri };
      const pos = () => lineCol(doc.text, rng.int(0, doc.text.length));
      const calls: [string, unknown][] = [
        ['textDocument/completion', { textDocument: td, position: pos() }],
        ['textDocument/completion', { textDocument: td, position: pos() }],
        ['textDocument/hover', { textDocument: td, position: pos() }],
        ['textDocument/definition', { textDocument: td, position: pos() }],
        ['textDocument/references', { textDocument: td, position: pos(), context: { includeDeclaration: true } }],
        ['textDocument/documentSymbol', { textDocument: td }],
        ['textDocument/foldingRange', { textDocument: td }],
        ['textDocument/formatting', { textDocument: td, options: { tabSize: 2, insertSpaces: true } }],
        ['textDocument/semanticTokens/full', { textDocument: td }],
        ['textDocument/inlayHint', { textDocument: td, range: { start: { line: 0, character: 0 }, end: lineCol(doc.text, doc.text.length) } }],
        ['textDocument/prepareRename', { textDocument: td, position: pos() }],
        ['textDocument/rename', { textDocument: td, position: pos(), newName: rng.pick(['x2', 'renamed', '9bad', '']) }],
      ];
      let hung = false;
      await Promise.all(
        calls.map(([method, params]) => {
          requests++;
          return client.request(method, params, REQUEST_MS).then(
            () => undefined,
            (e: unknown) => {
              if (e instanceof ResponseError && (method === 'textDocument/prepareRename' || method === 'textDocument/rename')) return; // documented refusal
              if (e instanceof TimeoutError) hung = true;
              fail(method, e instanceof TimeoutError ? `no answer in ${REQUEST_MS} ms` : e instanceof ResponseError ? `error response ${e.code}: ${e.message}` : String(e));
            },
          );
        }),
      );
      if (!hung) {
        // Diagnostics for the last version, with ranges inside the document.
        try {
          // Every request has been answered, so the analysis is done: publication is due now.
          const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not published within 3 s of the last answer')), 3000).unref());
          const p: PublishDiagnostics = await Promise.race([diagnostics, late]);
          const li = new LineIndex(doc.text);
          for (const d of p.diagnostics) {
            const ok = d.range.start.line < li.lineCount && d.range.end.line < li.lineCount && li.offset(d.range.start) <= li.offset(d.range.end);
            if (!ok) fail('publishDiagnostics', `range ${JSON.stringify(d.range)} outside the document (${li.lineCount} lines)`);
          }
          if (p.diagnostics.length) {
            requests++;
            const d = rng.pick(p.diagnostics);
            await client.request('textDocument/codeAction', { textDocument: td, range: d.range, context: { diagnostics: [d] } }, REQUEST_MS).catch((e) => fail('textDocument/codeAction', String(e)));
          }
        } catch (e) {
          fail('publishDiagnostics', `none for version ${doc.version}: ${(e as Error).message}`);
        }
      }
      // Handler failures that the server caught and logged are bugs too.
      for (const l of client.logs.splice(0)) if (l.type === 1) fail('server log', l.message.split('\n').slice(0, 2).join(' | '));
      if (client.exited) fail('server exit', `the server exited (code ${client.exitCode}, signal ${client.exitSignal}): ${client.stderr.slice(-300)}`);
      if (hung || client.exited) {
        // A hung or dead server answers nothing more: report, start a fresh one, go on.
        log(`  server ${client.exited ? 'died' : 'hung'} on ${input.name}; restarting it`);
        client.kill();
        await client.close(500);
        client = await startServer(ws);
        restarts++;
        continue;
      }
      client.closeDoc(doc.uri);
      if (docs % 100 === 0) {
        // Still responsive: a small request on a small document answers quickly.
        const probe = { uri: Utils.joinPath(URI.file(ws), 'probe.snn').toString() };
        client.open(probe.uri, 'population p = LIF[3]\n', 1);
        const t0 = Date.now();
        await client.request('textDocument/hover', { textDocument: probe, position: { line: 0, character: 18 } }, 5000).catch((e) => failures.push({ input, what: 'responsiveness', message: String(e) }));
        const ms = Date.now() - t0;
        if (ms > 1000) failures.push({ input, what: 'responsiveness', message: `hover took ${ms} ms after ${docs} documents` });
        client.closeDoc(probe.uri);
        log(`  … ${docs} documents, ${requests} requests, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    }
    const t0 = Date.now();
    await client.request('textDocument/documentSymbol', { textDocument: { uri: 'file:///nowhere.snn' } }, 5000).catch((e) => failures.push({ input: inputs[0], what: 'final request', message: String(e) }));
    if (Date.now() - t0 > 1000) failures.push({ input: inputs[0], what: 'responsiveness', message: `final request took ${Date.now() - t0} ms` });
    if (client.exited) failures.push({ input: inputs[inputs.length - 1], what: 'server exit', message: `the server exited (code ${client.exitCode})` });
    for (const e of client.protocolErrors) failures.push({ input: inputs[0], what: 'protocol', message: e });
  } finally {
    await client.close();
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  }
  return { failures, requests, docs, edits, restarts };
}

// ---- the tests ---------------------------------------------------------------------------------

function say(t: TestContext, s: string): void {
  t.diagnostic(s);
  console.log(s);
}

describe(`fuzz (seed ${SEED}, scale ${SCALE})`, { timeout: 600_000 }, () => {
  it('part 1, in process: parse + analyse + every feature never throws, stays in bounds, formats idempotently', async (t) => {
    const inputs = generateInputs(SEED, SCALE);
    const counts: Record<string, number> = {};
    for (const i of inputs) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
    const t0 = performance.now();
    const { failures, times, restarts } = await runInProcess(inputs, (s) => say(t, s));
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    say(t, `fuzz part 1: seed ${SEED}, ${inputs.length} inputs (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}) in ${s} s, ${restarts} watchdog restarts`);
    const slowest = times.map((ms, k) => ({ ms, k })).filter((x) => !Number.isNaN(x.ms)).sort((a, b) => b.ms - a.ms).slice(0, 5);
    say(t, `  slowest: ${slowest.map((x) => `${inputs[x.k].name} ${x.ms.toFixed(0)} ms`).join('; ')}`);
    if (failures.length) {
      const summary = summarise(failures, join(outDir(), 'in-process'));
      say(t, summary);
      assert.fail(summary);
    }
  });

  it('part 2, the bundled server over JSON-RPC: answers every request, never exits, stays responsive', async (t) => {
    const rng = new Rng(SEED + 1);
    // A few hundred documents: mutations, token soup, UTF-16 noise and the specials small
    // enough to send, shuffled together.
    const docs: Input[] = [];
    const seeds = seedFiles().filter((f) => !f.path.includes('/prelude/'));
    for (let i = 0; i < n(220); i++) {
      const f = rng.pick(seeds);
      docs.push({ kind: 'mutation', name: `rpc-mutation#${i} of ${f.path.slice(ROOT.length + 1)}`, text: mutate(rng, f.text, 4), bound: BOUND_MS, path: f.path });
    }
    for (let i = 0; i < n(60); i++) docs.push({ kind: 'soup', name: `rpc-soup#${i}`, text: tokenSoup(rng, rng.int(1, 200)), bound: BOUND_MS, path: '' });
    for (let i = 0; i < n(20); i++) docs.push({ kind: 'utf16', name: `rpc-utf16#${i}`, text: randomUtf16(rng, rng.int(0, 500)), bound: BOUND_MS, path: '' });
    const coba = seedFiles().find((f) => f.path.endsWith('examples/coba.snn'))!.text;
    for (const sp of specials(coba).filter((x) => x.text.length <= 1_000_000)) docs.push({ kind: 'special', name: sp.name, text: sp.text, bound: sp.bound, path: '' });
    for (let i = docs.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [docs[i], docs[j]] = [docs[j], docs[i]];
    }
    const t0 = performance.now();
    const r = await runOverRpc(docs, rng, (s) => say(t, s));
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    say(t, `fuzz part 2: seed ${SEED}, ${r.docs} documents, ${r.edits} edits, ${r.requests} requests in ${s} s, ${r.restarts} server restarts`);
    if (r.failures.length) {
      const summary = summarise(r.failures, join(outDir(), 'rpc'));
      say(t, summary);
      assert.fail(summary);
    }
  });
});
