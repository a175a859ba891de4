// Language server latency on a large model: `npm run bench:lsp` (node --import tsx bench/lsp.ts).
//
// Generates a realistic 5,000-line model (bench/model-gen.ts: 40 cell types, 10 plasticity
// rules, ~170 populations, ~370 connections, probes) and measures, as the median of ≥15 runs
// after warm-up:
//   check       full check from scratch: a fresh Program (prelude included, no caches), parse,
//               analyse, diagnostics converted to line/character ranges;
//   check after an edit
//               the server's situation while the user types: a warm Program, an edit of the
//               last population (a different value each run, so the analysed text really
//               changes), then parse (incremental: only the touched items) + analyse +
//               diagnostics converted — the figure the ≤ 20 ms target is about;
//   completion  an edit near the end of the file (which invalidates the analysis), then
//               completion inside the last population block, as the server does it (analyse
//               again, then complete);
// and, through the bundled server over JSON-RPC (node dist/server.js --stdio):
//   didChange → publishDiagnostics   time from an edit to the diagnostics of that version;
//   completion after an edit          round trip of a completion request sent right after an edit;
//   completion (no edit)              round trip with the analysis cached.
// Prints a table, then one JSON line:
//   {"bench":"lsp","lines":…,"check_ms":…,"completion_ms":…,"check_after_edit_ms":…}.
//   SPIKEWORKS_BENCH_LINES (default 5000), SPIKEWORKS_BENCH_RUNS (default 21)
import { cpus } from 'node:os';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { complete } from '../language-server/src/features/completion';
import { loadPrelude } from '../language-server/src/node-host';
import { Program } from '../language-server/src/program';
import { LineIndex } from '../language-server/src/text';
import { ensureBuilt, repoRoot } from '../test/helpers/build';
import { LspClient, positionAt } from '../test/helpers/lsp-client';
import { generateModel } from './model-gen';

const LINES = Number(process.env.SPIKEWORKS_BENCH_LINES ?? 5000);
const RUNS = Math.max(15, Number(process.env.SPIKEWORKS_BENCH_RUNS ?? 21));
const WARMUP = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

interface Row {
  what: string;
  samples: number[];
  note?: string;
}

function stats(r: Row): string {
  const f = (x: number) => x.toFixed(2).padStart(9);
  return `${r.what.padEnd(44)}${f(median(r.samples))}${f(Math.min(...r.samples))}${f(quantile(r.samples, 0.9))}${f(Math.max(...r.samples))}   ${r.note ?? ''}`;
}

// The document: the generated model plus a last population whose block holds the cursor.
const model = generateModel(LINES - 4);
const TAIL_HEAD = 'population bench_last = CobaLIF[10] {\n  g_l = 10 nS\n  ';
const TAIL_END = '\n}\n';
const text = model.text + TAIL_HEAD + TAIL_END;
const lineCount = text.split('\n').length - 1;
const cursorOffset = model.text.length + TAIL_HEAD.length;
/** The edited text of run k: the last population's g_l changes, so the analysis is invalid. */
const edited = (k: number) => model.text + TAIL_HEAD.replace('g_l = 10 nS', `g_l = ${10 + (k % 7) + 1} nS`) + TAIL_END;

const prelude = loadPrelude(join(repoRoot, 'language-server', 'src'));
const host = { readFile: () => undefined };
const uri = URI.file(join(repoRoot, 'bench', 'generated.snn')).toString();

function checkOnce(t: string, warm?: Program): { ms: number; errors: number; diagnostics: number } {
  const t0 = performance.now();
  const program = warm ?? new Program(host, prelude);
  program.setText(uri, t);
  const a = program.analyze(uri);
  const lines = new LineIndex(t);
  const diags = a.diagnostics.map((d) => ({ range: { start: lines.position(d.start), end: lines.position(d.end) }, message: d.message, severity: d.severity }));
  const ms = performance.now() - t0;
  return { ms, errors: diags.filter((d) => d.severity === 1).length, diagnostics: diags.length };
}

function inProcess(): Row[] {
  // Full check, fresh program each run.
  let first = checkOnce(text);
  if (first.errors) throw new Error(`the generated model has ${first.errors} errors`);
  for (let i = 0; i < WARMUP; i++) first = checkOnce(text);
  const check: number[] = [];
  for (let i = 0; i < RUNS; i++) check.push(checkOnce(text).ms);

  // Check after an edit, on a warm program: each run's text differs from the previous run's.
  const warm = new Program(host, prelude);
  checkOnce(text, warm);
  const afterEdit: number[] = [];
  let editDiagnostics = 0;
  let lastText = text;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = edited(i);
    if (t === lastText) throw new Error('the edit does not change the text');
    lastText = t;
    const r = checkOnce(t, warm);
    if (r.errors) throw new Error(`the edited model has ${r.errors} errors`);
    editDiagnostics = r.diagnostics;
    if (i >= WARMUP) afterEdit.push(r.ms);
  }

  // Completion after an edit, on a warm program (the server's situation).
  const program = new Program(host, prelude);
  program.setText(uri, text);
  program.analyze(uri);
  const completion: number[] = [];
  const parseAndCheck: number[] = [];
  let items = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = edited(i);
    const t0 = performance.now();
    program.setText(uri, t);
    // As the server does: completion reads the new syntax tree with the declarations of the
    // last full analysis; the full check for diagnostics follows (untimed here, timed above).
    const a = program.completionAnalysis(uri);
    const t1 = performance.now();
    const res = complete(a, cursorOffset);
    const t2 = performance.now();
    program.analyze(uri);
    if (!res.some((c) => c.label === 'C_m')) throw new Error('completion in the last population does not offer C_m');
    items = res.length;
    if (i >= WARMUP) {
      completion.push(t2 - t0);
      parseAndCheck.push(t1 - t0);
    }
  }
  // Completion without an edit (analysis cached).
  const cached: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    complete(program.analyze(uri), cursorOffset);
    if (i >= WARMUP) cached.push(performance.now() - t0);
  }
  return [
    { what: 'check (fresh Program, parse → diagnostics)', samples: check, note: `${first.diagnostics} diagnostics, 0 errors` },
    { what: 'check after an edit (incremental)', samples: afterEdit, note: `${editDiagnostics} diagnostics, 0 errors` },
    { what: 'completion after an edit (setText+complete)', samples: completion, note: `${items} items` },
    { what: '  of which re-parse after the edit', samples: parseAndCheck },
    { what: 'completion, analysis cached', samples: cached },
  ];
}

async function overRpc(): Promise<Row[]> {
  ensureBuilt();
  const client = new LspClient();
  const rows: Row[] = [];
  try {
    await client.initialize(URI.file(join(repoRoot, 'bench')).toString());
    const t0 = performance.now();
    const opened = client.waitForDiagnostics(uri, 1, 60_000);
    client.open(uri, text, 1);
    const first = await opened;
    const openMs = performance.now() - t0;
    if (first.diagnostics.some((d) => d.severity === 1)) throw new Error('the server reports errors in the generated model');
    rows.push({ what: 'server: didOpen → publishDiagnostics', samples: [openMs], note: 'first analysis, once' });

    // The edit: replace the g_l line of the last population.
    const glLine = positionAt(text, cursorOffset).line - 1;
    const change = (k: number) => ({
      range: { start: { line: glLine, character: 0 }, end: { line: glLine, character: 13 } },
      text: `  g_l = ${10 + (k % 7) + 1} nS`,
    });
    let version = 1;
    const diag: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      version++;
      const wait = client.waitForDiagnostics(uri, version, 30_000);
      const s = performance.now();
      client.change(uri, version, [change(i)]);
      await wait;
      if (i >= WARMUP) diag.push(performance.now() - s);
    }
    rows.push({ what: 'server: didChange → publishDiagnostics', samples: diag });

    const cursor = positionAt(text, cursorOffset);
    const afterEdit: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      version++;
      const wait = client.waitForDiagnostics(uri, version, 30_000);
      client.change(uri, version, [change(i + 3)]);
      const s = performance.now();
      const res = await client.request('textDocument/completion', { textDocument: { uri }, position: cursor }, 30_000);
      const ms = performance.now() - s;
      const list: { label: string }[] = Array.isArray(res) ? res : res.items;
      if (!list.some((c) => c.label === 'C_m')) throw new Error('server completion does not offer C_m');
      await wait;
      if (i >= WARMUP) afterEdit.push(ms);
    }
    rows.push({ what: 'server: completion right after an edit', samples: afterEdit });

    const warm: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const s = performance.now();
      await client.request('textDocument/completion', { textDocument: { uri }, position: cursor }, 30_000);
      if (i >= WARMUP) warm.push(performance.now() - s);
    }
    rows.push({ what: 'server: completion, no edit', samples: warm });
  } finally {
    await client.close();
    client.kill();
  }
  return rows;
}

async function main(): Promise<void> {
  console.log(`Spikeworks language server benchmark: ${lineCount}-line model (${model.neurons} neuron models, ${model.synapses} synapse models, ${model.populations + 1} populations, ${model.connections} connections)`);
  console.log(`node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), median of ${RUNS} runs after ${WARMUP} warm-up runs; times in ms\n`);
  const local = inProcess();
  const remote = await overRpc();
  console.log(`${'measurement'.padEnd(44)}${'median'.padStart(9)}${'min'.padStart(9)}${'p90'.padStart(9)}${'max'.padStart(9)}`);
  for (const r of [...local, ...remote]) console.log(stats(r));
  const checkMs = median(local[0].samples);
  const editMs = median(local[1].samples);
  const completionMs = median(local[2].samples);
  console.log(`\ntargets: check < 50 ms (${checkMs < 50 ? 'met' : 'MISSED'}), check after an edit ≤ 20 ms (${editMs <= 20 ? 'met' : 'MISSED'}), completion ≤ 10 ms (${completionMs <= 10 ? 'met' : 'MISSED'})`);
  console.log(JSON.stringify({ bench: 'lsp', lines: lineCount, check_ms: Number(checkMs.toFixed(2)), completion_ms: Number(completionMs.toFixed(2)), check_after_edit_ms: Number(editMs.toFixed(2)) }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
