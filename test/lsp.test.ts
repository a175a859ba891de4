// The real language server (`node dist/server.js --stdio`, rebuilt first when older than the
// sources) driven over JSON-RPC by a small client (test/helpers/lsp-client.ts). One server for
// the whole file, a temporary workspace folder for the cross-file tests; every request and wait
// has a time limit, and the server is shut down and killed at the end whatever happens.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { distPrelude, ensureBuilt, repoRoot } from './helpers/build';
import { estimateMemory, fmtBytes } from '../sim-host/src/core/estimate';
import { irOf } from './helpers/model';
import { applyEdits, LspClient, positionAt, rangeOf, ResponseError, type LspDiagnostic, type Range, type TextEdit } from './helpers/lsp-client';

const COBA = readFileSync(join(repoRoot, 'examples', 'coba.snn'), 'utf8');

// Completion item kinds and symbol kinds of the protocol used below.
const CompletionItemKind = { Unit: 11 } as const;
const SymbolKind = { Module: 2, Namespace: 3, Class: 5 } as const;

let tmp = '';
let client: LspClient;
let legend: { tokenTypes: string[]; tokenModifiers: string[] };
let capabilities: any;
let docCounter = 0;

function docUri(name = `doc${++docCounter}.snn`): string {
  return URI.file(join(tmp, 'open', name)).toString();
}

function inside(r: Range, outer: Range): boolean {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, r.start) && le(r.end, outer.end);
}

/** Opens a document and returns the diagnostics published for that version. */
async function openDoc(text: string, uri = docUri(), version = 1): Promise<{ uri: string; diagnostics: LspDiagnostic[] }> {
  const wait = client.waitForDiagnostics(uri, version);
  client.open(uri, text, version);
  const p = await wait;
  return { uri, diagnostics: p.diagnostics };
}

const errorsOf = (ds: LspDiagnostic[]) => ds.filter((d) => d.severity === 1);

describe('language server over stdio', { timeout: 120_000 }, () => {
  before(async () => {
    ensureBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'spikeworks-lsp-'));
    // Two files on disk for references and rename: main.snn imports lib.snn.
    writeFileSync(join(tmp, 'lib.snn'), LIB);
    writeFileSync(join(tmp, 'main.snn'), MAIN);
    client = new LspClient();
    const init = await client.initialize(URI.file(tmp).toString());
    capabilities = init.capabilities;
    legend = capabilities.semanticTokensProvider?.legend;
  });

  after(async () => {
    await client?.close();
    client?.kill();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('initialize announces the capabilities the extension relies on', () => {
    const c = capabilities;
    const sync = typeof c.textDocumentSync === 'number' ? c.textDocumentSync : c.textDocumentSync?.change;
    assert.ok(sync === 1 || sync === 2, `textDocumentSync ${JSON.stringify(c.textDocumentSync)}`);
    assert.ok(c.completionProvider, 'completion');
    for (const k of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'documentFormattingProvider', 'inlayHintProvider']) {
      assert.ok(c[k], k);
    }
    assert.ok(c.renameProvider?.prepareProvider, 'rename with prepareRename');
    assert.ok(c.codeActionProvider, 'code actions');
    const kinds = typeof c.codeActionProvider === 'object' ? c.codeActionProvider.codeActionKinds : undefined;
    if (kinds) assert.ok(kinds.includes('quickfix'), 'quickfix code actions');
    assert.ok(c.semanticTokensProvider?.full, 'semantic tokens (full)');
    assert.ok(legend && legend.tokenTypes.length > 0, 'semantic token legend');
  });

  it('didOpen of the COBA example publishes no diagnostics', async () => {
    const { diagnostics } = await openDoc(COBA);
    assert.deepEqual(diagnostics, []);
  });

  it('didOpen of a file with a unit error publishes it with its range and a code', async () => {
    const text = 'model unit_error\n\npopulation exc = LIF[10] {\n  v = 1 mV + 1 nS\n}\n';
    const { diagnostics } = await openDoc(text);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const d = diagnostics[0];
    assert.equal(d.severity, 1);
    assert.match(d.message, /unit mismatch: volt vs siemens/);
    assert.deepEqual(d.range, rangeOf(text, '1 mV + 1 nS'));
    assert.equal(d.code, 'unit-mismatch');
  });

  it('didChange (incremental) publishes new diagnostics for the new version, and clears them again', async () => {
    const { uri } = await openDoc(COBA);
    // Replace the weight unit of the first connection: nS → mV (a unit error).
    const r = rangeIn(COBA, 'weight: 6 nS', '6 nS');
    let wait = client.waitForDiagnostics(uri, 2);
    client.change(uri, 2, [{ range: r, text: '6 mV' }]);
    let p = await wait;
    assert.equal(p.diagnostics.length, 1, JSON.stringify(p.diagnostics));
    assert.match(p.diagnostics[0].message, /unit mismatch: volt vs siemens/);
    assert.deepEqual(p.diagnostics[0].range, r);
    // Undo with a whole-document change.
    wait = client.waitForDiagnostics(uri, 3);
    client.change(uri, 3, [{ text: COBA }]);
    p = await wait;
    assert.deepEqual(p.diagnostics, []);
    // Two edits in one notification, applied in order: insert a line, then edit on it.
    wait = client.waitForDiagnostics(uri, 4);
    const end = positionAt(COBA, COBA.length);
    client.change(uri, 4, [
      { range: { start: end, end }, text: 'probe vv(exc)\n' },
      { range: { start: { line: end.line, character: 6 }, end: { line: end.line, character: 8 } }, text: 'g_x' },
    ]);
    p = await wait;
    assert.equal(p.diagnostics.length, 1, JSON.stringify(p.diagnostics));
    assert.match(p.diagnostics[0].message, /'g_x'/);
    assert.deepEqual(p.diagnostics[0].range, { start: { line: end.line, character: 6 }, end: { line: end.line, character: 9 } });
  });

  it('completion inside a population block lists the model parameters with units', async () => {
    const text = 'population exc = CobaLIF[10] {\n  \n}\n';
    const { uri } = await openDoc(text);
    const res = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 2 } });
    const items: any[] = Array.isArray(res) ? res : res.items;
    const labels = items.map((i) => i.label);
    for (const p of ['C_m', 'g_l', 'E_l', 'tau_e', 'V_th', 'v', 'g_e']) assert.ok(labels.includes(p), `${p} missing from ${labels.join(', ')}`);
    const cm = items.find((i) => i.label === 'C_m');
    assert.match(cm.detail ?? '', /pF/, `detail of C_m: ${cm.detail}`);
    assert.ok(!labels.includes('dv'), 'no equation names');
  });

  it('completion after a number offers units', async () => {
    const text = 'population exc = LIF[10] {\n  tau_m = 20 \n}\n';
    const { uri } = await openDoc(text);
    const res = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 13 } });
    const items: any[] = Array.isArray(res) ? res : res.items;
    const ms = items.find((i) => i.label === 'ms');
    assert.ok(ms, `no 'ms' among ${items.map((i) => i.label).join(', ')}`);
    assert.equal(ms.kind, CompletionItemKind.Unit);
    for (const u of ['s', 'mV', 'nS', 'pA', 'Hz']) assert.ok(items.some((i) => i.label === u), `unit ${u}`);
    assert.ok(!items.some((i) => i.label === 'C_m' || i.label === 'population'), 'only units');
  });

  it('completion right after `population NAME = ` offers neuron models (prelude, own, imported); after `input NAME = ` the input kinds', async () => {
    const own = 'neuron OwnCell {\n  parameters { tau = 10 ms }\n  state { v: mV = -65 mV }\n  equations { dv/dt = (-65 mV - v) / tau }\n}\n';
    const text = `model newcomer\nimport "../lib.snn"\n${own}population exc = \n`;
    const { uri } = await openDoc(text);
    const end = positionAt(text, text.length - 1);
    const res = await client.request('textDocument/completion', { textDocument: { uri }, position: end });
    const labels: string[] = (Array.isArray(res) ? res : res.items).map((i: any) => i.label);
    for (const m of ['LIF', 'CobaLIF', 'Izhikevich', 'OwnCell', 'MyCell']) assert.ok(labels.includes(m), `${m} missing from ${labels.join(', ')}`);
    assert.ok(!labels.includes('Static') && !labels.includes('population'), `only neuron models: ${labels.join(', ')}`);
    // A prefix typed after '=' still completes models.
    const typed = `${text.slice(0, -1)}Iz\n`;
    const doc2 = await openDoc(typed);
    const res2 = await client.request('textDocument/completion', { textDocument: { uri: doc2.uri }, position: positionAt(typed, typed.length - 1) });
    assert.ok((Array.isArray(res2) ? res2 : res2.items).some((i: any) => i.label === 'Izhikevich'), 'Izhikevich after "Iz"');
    const inp = 'input drive = \n';
    const doc3 = await openDoc(inp);
    const res3 = await client.request('textDocument/completion', { textDocument: { uri: doc3.uri }, position: positionAt(inp, inp.length - 1) });
    const kinds: string[] = (Array.isArray(res3) ? res3 : res3.items).map((i: any) => i.label).sort();
    assert.deepEqual(kinds, ['current_step', 'event_file', 'poisson', 'spike_array']);
  });

  it('hover on a parameter shows its dimension and value', async () => {
    const text = 'population exc = CobaLIF[10] {\n  C_m = 250 pF\n}\n';
    const { uri } = await openDoc(text);
    const h = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } });
    assert.ok(h, 'no hover');
    const md = typeof h.contents === 'string' ? h.contents : h.contents.value ?? JSON.stringify(h.contents);
    assert.match(md, /C_m/);
    assert.match(md, /farad/, 'dimension');
    assert.match(md, /200 pF/, 'default value');
    if (h.range) assert.deepEqual(h.range, rangeOf(text, 'C_m'));
  });

  it('hover on a parameter of a user-defined neuron inside an equation', async () => {
    const text = 'neuron Leaky {\n  parameters { tau = 15 ms }\n  state { v: mV = 0 mV }\n  equations { dv/dt = -v / tau }\n  spike when v > 10 mV\n  reset { v = 0 mV }\n}\n';
    const { uri } = await openDoc(text);
    const at = rangeOf(text, 'tau', 2).start;
    const h = await client.request('textDocument/hover', { textDocument: { uri }, position: at });
    const md = h?.contents?.value ?? '';
    assert.match(md, /tau/);
    assert.match(md, /second/, 'dimension');
    assert.match(md, /15 ms/, 'value');
  });

  it('definition of a prelude model name jumps into dist/prelude/neurons.snn', async () => {
    const { uri } = await openDoc(COBA);
    const at = rangeOf(COBA, 'CobaLIF').start;
    const res = await client.request('textDocument/definition', { textDocument: { uri }, position: { line: at.line, character: at.character + 2 } });
    const loc = Array.isArray(res) ? res[0] : res;
    assert.ok(loc, 'no definition');
    const target = loc.targetUri ?? loc.uri;
    const range: Range = loc.targetSelectionRange ?? loc.range;
    assert.equal(target, URI.file(join(distPrelude, 'neurons.snn')).toString());
    const prelude = readFileSync(join(distPrelude, 'neurons.snn'), 'utf8');
    assert.deepEqual(range, rangeIn(prelude, 'neuron CobaLIF', 'CobaLIF'));
  });

  it('references across two files (one imports the other) in the workspace folder', async () => {
    const mainUri = URI.file(join(tmp, 'main.snn')).toString();
    const libUri = URI.file(join(tmp, 'lib.snn')).toString();
    await openDoc(MAIN, mainUri);
    const at = rangeOf(MAIN, 'MyCell').start;
    const refs: { uri: string; range: Range }[] = await client.request('textDocument/references', {
      textDocument: { uri: mainUri }, position: at, context: { includeDeclaration: true },
    });
    const got = refs.map((r) => `${r.uri === libUri ? 'lib' : r.uri === mainUri ? 'main' : r.uri}:${r.range.start.line}:${r.range.start.character}`).sort();
    const want = [
      `lib:${rangeOf(LIB, 'MyCell').start.line}:${rangeOf(LIB, 'MyCell').start.character}`,
      `main:${rangeOf(MAIN, 'MyCell', 1).start.line}:${rangeOf(MAIN, 'MyCell', 1).start.character}`,
      `main:${rangeOf(MAIN, 'MyCell', 2).start.line}:${rangeOf(MAIN, 'MyCell', 2).start.character}`,
    ].sort();
    assert.deepEqual(got, want);
    // Without the declaration, from the other file's point of view (lib.snn is not open).
    const fromLib: { uri: string }[] = await client.request('textDocument/references', {
      textDocument: { uri: libUri }, position: rangeOf(LIB, 'tau', 2).start, context: { includeDeclaration: false },
    });
    const where = fromLib.map((r) => (r.uri === libUri ? 'lib' : 'main')).sort();
    assert.deepEqual(where, ['lib', 'main'], 'tau: used in lib.snn (equation) and set in main.snn (population a)');
  });

  it('rename across the two files edits every reference; renaming a prelude model is refused', async () => {
    const mainUri = URI.file(join(tmp, 'main.snn')).toString();
    const libUri = URI.file(join(tmp, 'lib.snn')).toString();
    const at = rangeOf(MAIN, 'MyCell', 2).start;
    const prep = await client.request('textDocument/prepareRename', { textDocument: { uri: mainUri }, position: at });
    assert.ok(prep, 'prepareRename answered null');
    const prepRange: Range = prep.range ?? prep;
    assert.deepEqual(prepRange, rangeOf(MAIN, 'MyCell', 2));
    const edit = await client.request('textDocument/rename', { textDocument: { uri: mainUri }, position: at, newName: 'Cell2' });
    const changes: Record<string, TextEdit[]> = edit.changes ?? Object.fromEntries((edit.documentChanges ?? []).map((d: any) => [d.textDocument.uri, d.edits]));
    assert.deepEqual(Object.keys(changes).sort(), [libUri, mainUri].sort());
    const newMain = applyEdits(MAIN, changes[mainUri]);
    const newLib = applyEdits(LIB, changes[libUri]);
    assert.equal(newMain, MAIN.replaceAll('MyCell', 'Cell2'));
    assert.equal(newLib, LIB.replaceAll('MyCell', 'Cell2'));
    // The prelude is read-only: prepareRename (or rename) on a built-in model is refused.
    const lifAt = rangeOf(MAIN, 'LIF').start;
    let refused = false;
    try {
      const r = await client.request('textDocument/prepareRename', { textDocument: { uri: mainUri }, position: lifAt });
      refused = r === null;
    } catch (e) {
      assert.ok(e instanceof ResponseError, String(e));
      assert.match(e.message, /built-in|prelude/i);
      refused = true;
    }
    assert.ok(refused, 'prepareRename of a prelude model must be refused');
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: mainUri }, position: lifAt, newName: 'X' }),
      (e: unknown) => e instanceof ResponseError,
    );
  });

  it('editing an imported file re-checks the open file that imports it', async () => {
    const dir = join(tmp, 'dep');
    const libUri = URI.file(join(dir, 'lib.snn')).toString();
    const mainUri = URI.file(join(dir, 'main.snn')).toString();
    await openDoc(LIB, libUri);
    const first = await openDoc(MAIN, mainUri);
    assert.deepEqual(errorsOf(first.diagnostics), [], 'main.snn sees MyCell from the open (unsaved) lib.snn');
    const wait = client.waitFor<{ uri: string; diagnostics: LspDiagnostic[] }>('textDocument/publishDiagnostics', (p) => p.uri === mainUri && p.diagnostics.some((d) => /MyCell/.test(d.message)));
    client.change(libUri, 2, [{ range: rangeOf(LIB, 'MyCell'), text: 'OtherCell' }]);
    const p = await wait;
    const unknown = p.diagnostics.filter((d) => /unknown neuron model 'MyCell'/.test(d.message));
    assert.equal(unknown.length, 2, JSON.stringify(p.diagnostics));
    assert.deepEqual(unknown.map((d) => d.range).sort((a, b) => a.start.line - b.start.line), [rangeOf(MAIN, 'MyCell', 1), rangeOf(MAIN, 'MyCell', 2)]);
    client.closeDoc(libUri);
    client.closeDoc(mainUri);
  });

  it('rename to a name that is already defined in the same scope is refused', async () => {
    // Renaming population exc to inh would merge two populations; renaming parameter tau to
    // V_th would declare V_th twice. Both change what the model means: refuse them.
    const text = 'neuron N {\n  parameters { tau = 10 ms; V_th = 1 mV }\n  state { v: mV = 0 mV }\n  equations { dv/dt = -v / tau }\n  spike when v > V_th\n}\npopulation exc = N[3] { tau = 5 ms }\npopulation inh = N[3]\nprobe v(exc, inh)\n';
    const { uri } = await openDoc(text);
    for (const [needle, n, newName] of [['exc', 1, 'inh'], ['tau', 1, 'V_th']] as const) {
      const at = rangeOf(text, needle, n).start;
      const res = await client.request('textDocument/rename', { textDocument: { uri }, position: at, newName }).then(
        (edit) => ({ edit }),
        (e: unknown) => ({ error: e }),
      );
      assert.ok('error' in res && res.error instanceof ResponseError, `renaming ${needle} to the existing ${newName} was accepted: ${JSON.stringify('edit' in res ? res.edit : undefined)}`);
    }
  });

  it('formatting returns an edit; formatting the result again returns no edit', async () => {
    const text = 'model   fmt\npopulation exc = LIF[10]   {\nv = -65 mV\n      tau_m = 10 ms   \n}\n\n\n\nprobe v(exc)   every   1 ms';
    const { uri } = await openDoc(text);
    const opts = { tabSize: 2, insertSpaces: true };
    const edits: TextEdit[] = await client.request('textDocument/formatting', { textDocument: { uri }, options: opts });
    assert.ok(Array.isArray(edits) && edits.length > 0, 'no formatting edits');
    const formatted = applyEdits(text, edits);
    assert.equal(formatted, 'model fmt\npopulation exc = LIF[10] {\n  v = -65 mV\n  tau_m = 10 ms\n}\n\nprobe v(exc) every 1 ms\n');
    const wait = client.waitForDiagnostics(uri, 2);
    client.change(uri, 2, [{ text: formatted }]);
    await wait;
    const again: TextEdit[] | null = await client.request('textDocument/formatting', { textDocument: { uri }, options: opts });
    assert.deepEqual(again ?? [], []);
  });

  it('documentSymbol gives a nested outline with ranges containing their selection ranges', async () => {
    const text = `${LIB}\n${'population p = MyCell[5]\nconnect p -> p { rule: one_to_one; weight: 1 mV; target: v }\nprobe v(p)\nsimulate { dt: 0.1 ms; duration: 1 s }\n'}`;
    const { uri } = await openDoc(text);
    const syms: any[] = await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    const names = syms.map((s) => s.name);
    for (const n of ['lib', 'MyCell', 'p', 'simulate']) assert.ok(names.includes(n), `${n} missing from ${names.join(', ')}`);
    const cell = syms.find((s) => s.name === 'MyCell');
    assert.equal(cell.kind, SymbolKind.Class);
    assert.ok(cell.children?.some((c: any) => c.name === 'tau'), 'parameters are children of the model');
    assert.ok(cell.children?.some((c: any) => c.name === 'v'), 'state variables are children of the model');
    const check = (s: any) => {
      assert.ok(inside(s.selectionRange, s.range), `${s.name}: selectionRange outside range`);
      for (const c of s.children ?? []) {
        assert.ok(inside(c.range, s.range), `${c.name} outside its parent ${s.name}`);
        check(c);
      }
    };
    syms.forEach(check);
  });

  it('foldingRange folds multi-line blocks', async () => {
    const text = 'population exc = LIF[10] {\n  v = -65 mV\n  tau_m = 10 ms\n}\n/* a\n   comment */\nsimulate { dt: 0.1 ms; duration: 1 s }\n';
    const { uri } = await openDoc(text);
    const ranges: { startLine: number; endLine: number; kind?: string }[] = await client.request('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(ranges.some((r) => r.startLine === 0 && (r.endLine === 2 || r.endLine === 3)), JSON.stringify(ranges));
    assert.ok(ranges.some((r) => r.startLine === 4 && r.endLine === 5 && r.kind === 'comment'), JSON.stringify(ranges));
    assert.ok(!ranges.some((r) => r.startLine === 6), 'one-line blocks do not fold');
  });

  it('semanticTokens classify model names, declarations, numbers and units', async () => {
    const { uri } = await openDoc(COBA);
    const res = await client.request('textDocument/semanticTokens/full', { textDocument: { uri } });
    const data: number[] = res.data;
    assert.ok(data.length > 0 && data.length % 5 === 0, `data length ${data.length}`);
    const tokens: { line: number; char: number; len: number; type: string; mods: string[] }[] = [];
    let line = 0;
    let char = 0;
    for (let k = 0; k < data.length; k += 5) {
      const [dl, dc, len, type, mods] = data.slice(k, k + 5);
      assert.ok(dl >= 0 && len > 0 && (dl > 0 || dc >= 0), `bad token at ${k / 5}: ${data.slice(k, k + 5)}`);
      line += dl;
      char = dl ? dc : char + dc;
      tokens.push({ line, char, len, type: legend.tokenTypes[type], mods: legend.tokenModifiers.filter((_, b) => mods & (1 << b)) });
    }
    const at = (context: string, needle = context) => {
      const r = rangeIn(COBA, context, needle);
      return tokens.find((t) => t.line === r.start.line && t.char === r.start.character);
    };
    assert.equal(at('CobaLIF')?.type, 'type', 'a model name is a type');
    assert.ok(at('CobaLIF')?.mods.includes('defaultLibrary'), 'prelude models are defaultLibrary');
    assert.ok(at('population exc', 'exc')?.mods.includes('declaration'), '`population exc` declares exc');
    assert.ok(!at('connect exc', 'exc')?.mods.includes('declaration'), 'a use of exc is not a declaration');
    assert.equal(at('3200')?.type, 'number');
    assert.equal(at('// Vogels')?.type, 'comment');
    assert.ok(['enumMember', 'type', 'keyword', 'macro', 'unit'].includes(at('weight: 6 nS', 'nS')?.type ?? ''), `units are tokens: ${at('weight: 6 nS', 'nS')?.type}`);
    assert.equal(at('population')?.type, 'keyword');
  });

  it('inlayHint shows the expected synapse count of each connection', async () => {
    const { uri } = await openDoc(COBA);
    const end = positionAt(COBA, COBA.length);
    const hints: { position: { line: number; character: number }; label: string | { value: string }[] }[] = await client.request('textDocument/inlayHint', {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end },
    });
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    // exc (3200) → exc, inh (4000) at p = 0.02: 256,000; inh (800) → 4000: 64,000.
    const connectLines = [rangeOf(COBA, 'connect exc').start.line, rangeOf(COBA, 'connect inh').start.line];
    const onLine = (l: number) => hints.filter((h) => h.position.line === l).map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.ok(onLine(connectLines[0]).some((s) => /256,000 synapses/.test(s)), `hints: ${labels.join(' | ')}`);
    assert.ok(onLine(connectLines[1]).some((s) => /64,000 synapses/.test(s)), `hints: ${labels.join(' | ')}`);
    // The total at `simulate` is the engine's own estimate of the run (the figure a run is refused with).
    const total = onLine(rangeOf(COBA, 'simulate').start.line).join(' ');
    const engine = estimateMemory(irOf({ file: 'examples/coba.snn' }));
    assert.ok(total.includes(`${fmtBytes(engine.total)}`) && total.includes('4,000 neurons'), `total hint: ${total}; engine: ${fmtBytes(engine.total)}`);
  });

  it('codeAction "Add unit" fixes a bare number', async () => {
    const text = 'population exc = LIF[10] {\n  tau_m = 20\n}\n';
    const { uri, diagnostics } = await openDoc(text);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const d = diagnostics[0];
    assert.deepEqual(d.range, rangeOf(text, '20'));
    const actions: any[] = await client.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    const add = actions.find((a) => /add unit/i.test(a.title));
    assert.ok(add, `no "Add unit" action among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(add.kind, 'quickfix');
    assert.match(add.title, /\bms\b/);
    const edits: TextEdit[] = add.edit.changes[uri];
    const fixed = applyEdits(text, edits);
    assert.equal(fixed, 'population exc = LIF[10] {\n  tau_m = 20 ms\n}\n');
    const wait = client.waitForDiagnostics(uri, 2);
    client.change(uri, 2, [{ text: fixed }]);
    assert.deepEqual(errorsOf((await wait).diagnostics), []);
  });

  it('Brian2 unit habits: one error each, whose quick fix writes the .snn spelling and checks clean', async () => {
    // [what the user wrote, the message fragment, the text after the fix]
    const cases: [string, RegExp, string][] = [
      ['I_e = 5*pA', /write 5 pA: units follow the number without '\*'/, 'I_e = 5 pA'],
      ['tau_m = 5 * ms', /write 5 ms: units follow the number without '\*'/, 'tau_m = 5 ms'],
      ['tau_m = 10 msecond', /'msecond' is Brian2's name for ms; write ms/, 'tau_m = 10 ms'],
      ['v = -70*mvolt', /write -70 mV: .*'mvolt' is Brian2's name for mV/, 'v = -70 mV'],
      ['V_th = -50 mV + 0 * i * mV', /'mV' is a unit, not a name: units follow the number without '\*' \(write 1 mV\)/, 'V_th = -50 mV + 0 * i * 1 mV'],
    ];
    for (const [wrote, message, fixedLine] of cases) {
      const text = `population exc = LIF[10] {\n  ${wrote}\n}\n`;
      const { uri, diagnostics } = await openDoc(text);
      assert.equal(diagnostics.length, 1, `${wrote}: ${JSON.stringify(diagnostics)}`);
      const d = diagnostics[0];
      assert.match(d.message, message, wrote);
      const actions: any[] = await client.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
      assert.equal(actions.length, 1, `${wrote}: ${actions.map((a) => a.title).join(', ')}`);
      assert.equal(actions[0].kind, 'quickfix');
      const fixed = applyEdits(text, actions[0].edit.changes[uri]);
      assert.equal(fixed, `population exc = LIF[10] {\n  ${fixedLine}\n}\n`, wrote);
      const wait = client.waitForDiagnostics(uri, 2);
      client.change(uri, 2, [{ text: fixed }]);
      assert.deepEqual(errorsOf((await wait).diagnostics), [], `${wrote} fixed`);
    }
  });

  it('codeAction offers the did-you-mean replacement for an unknown name', async () => {
    const text = 'population exc = CobaLif[10]\n';
    const { uri, diagnostics } = await openDoc(text);
    const d = diagnostics.find((x) => /CobaLif/.test(x.message))!;
    assert.ok(d, JSON.stringify(diagnostics));
    const actions: any[] = await client.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => /CobaLIF/.test(a.title));
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.equal(applyEdits(text, fix.edit.changes[uri]), 'population exc = CobaLIF[10]\n');
  });

  it('completion in a connect block: properties, rules, target variables, synapse models', async () => {
    const text = 'population exc = CobaLIF[10]\nconnect exc -> exc {\n  \n  rule: \n  target: \n  synapse: \n}\nconnect exc -> exc {\n  \n}\n';
    const { uri } = await openDoc(text);
    const labels = async (line: number, character: number) => {
      const res = await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
      return (Array.isArray(res) ? res : res.items).map((i: { label: string }) => i.label) as string[];
    };
    const props = await labels(8, 2);
    for (const k of ['rule', 'weight', 'delay', 'target', 'synapse']) assert.ok(props.includes(k), `property ${k} in ${props.join(', ')}`);
    const rest = await labels(2, 2);
    assert.ok(rest.includes('weight') && !rest.includes('rule'), `properties already given are not offered again: ${rest.join(', ')}`);
    const rules = await labels(3, 8);
    for (const k of ['random', 'all_to_all', 'one_to_one', 'fixed_indegree', 'distance', 'ring_kernel', 'from_file']) assert.ok(rules.includes(k), `rule ${k} in ${rules.join(', ')}`);
    const targets = await labels(4, 10);
    assert.deepEqual(['g_e', 'g_i', 'v'].filter((k) => !targets.includes(k)), [], `state variables in ${targets.join(', ')}`);
    assert.ok(!targets.includes('C_m'), 'a parameter is not a target');
    const syns = await labels(5, 11);
    for (const k of ['Static', 'PairSTDP', 'CalciumHebbian', 'AstroSTDP']) assert.ok(syns.includes(k), `synapse ${k} in ${syns.join(', ')}`);
    assert.ok(!syns.includes('LIF'), 'neuron models are not synapse models');
  });

  it('completion and hover inside a segments block come from its schema', async () => {
    const text = 'population exc = CobaLIF[10]\nconnect exc -> exc {\n  rule: all_to_all\n  segments: {\n    count: 4\n    \n  }\n  weight: 1 nS; target: g_e\n}\n';
    const { uri } = await openDoc(text);
    const res = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 4 } });
    const labels = (Array.isArray(res) ? res : res.items).map((i: { label: string }) => i.label) as string[];
    assert.deepEqual(labels.sort(), ['threshold', 'window'], `segment keys not yet given, nothing else: ${labels.join(', ')}`);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 6 } });
    const md = JSON.stringify(hover?.contents ?? '');
    assert.ok(md.includes('Dendritic segments per target neuron'), md);
  });

  it('simulate: completion offers threads with its documentation, hover documents it', async () => {
    const text = 'population exc = LIF[10]\nsimulate {\n  dt: 0.1 ms; duration: 1 s\n  \n  threads: 2\n}\n';
    const { uri, diagnostics } = await openDoc(text);
    assert.deepEqual(errorsOf(diagnostics), []);
    const res = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 2 } });
    const items = (Array.isArray(res) ? res : res.items) as { label: string; documentation?: unknown }[];
    const threads = items.find((i) => i.label === 'threads');
    assert.ok(threads, `simulate keys: ${items.map((i) => i.label).join(', ')}`);
    assert.match(JSON.stringify(threads.documentation ?? ''), /Worker threads of the WASM engine/);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 4 } });
    const md = JSON.stringify(hover?.contents ?? '');
    for (const part of ['Worker threads of the WASM engine', 'results are identical for any count', 'default: this machine']) assert.ok(md.includes(part), `${part} in ${md}`);
  });

  it('a where rule: completion offers it with a condition, hover explains where, N_post and pathways', async () => {
    const text = 'population a = CobaLIF[10]\nconnect a -> a {\n  rule: where(j == (i + 1) % N_post)\n  weight: 1 nS\n  pathways: { fast: { delay: 1 ms; on_pre: g_e += w } }\n}\n';
    const { uri } = await openDoc(text);
    const res = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 8 } });
    const items = (Array.isArray(res) ? res : res.items) as { label: string; insertText?: string }[];
    const where = items.find((i) => i.label === 'where');
    assert.ok(where, `rules offered: ${items.map((i) => i.label).join(', ')}`);
    assert.equal(where.insertText, 'where(${1:j == (i + 1) % N_post})');
    const md = async (line: number, character: number) => JSON.stringify((await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } }))?.contents ?? '');
    assert.ok((await md(2, 9)).includes('a condition on the indices holds'), await md(2, 9));
    assert.ok((await md(2, 31)).includes('the number of target neurons'), await md(2, 31));
    assert.ok((await md(4, 4)).includes('Several presynaptic pathways'), await md(4, 4));
  });

  it('definition on an import path opens the imported file', async () => {
    const mainUri = URI.file(join(tmp, 'main.snn')).toString();
    await openDoc(MAIN, mainUri);
    const at = rangeOf(MAIN, 'lib.snn').start;
    const res = await client.request('textDocument/definition', { textDocument: { uri: mainUri }, position: { line: at.line, character: at.character + 2 } });
    const loc = Array.isArray(res) ? res[0] : res;
    assert.ok(loc, 'no definition for the import path');
    assert.equal(loc.targetUri ?? loc.uri, URI.file(join(tmp, 'lib.snn')).toString());
  });

  it('inlay hints are limited to the requested range', async () => {
    const { uri } = await openDoc(COBA);
    const second = rangeOf(COBA, 'connect inh').start.line;
    const hints: { position: { line: number } }[] = await client.request('textDocument/inlayHint', {
      textDocument: { uri }, range: { start: { line: second, character: 0 }, end: { line: second + 6, character: 0 } },
    });
    assert.ok(hints.length >= 1, 'the hint of the second connection');
    for (const h of hints) assert.ok(h.position.line >= second && h.position.line <= second + 6, `hint outside the range: line ${h.position.line}`);
  });

  it('didClose clears the diagnostics of the document', async () => {
    const { uri, diagnostics } = await openDoc('population exc = LIF[10] { v = 1 mV + 1 nS }\n');
    assert.equal(diagnostics.length, 1);
    const wait = client.waitFor<{ uri: string; diagnostics: unknown[] }>('textDocument/publishDiagnostics', (p) => p.uri === uri);
    client.closeDoc(uri);
    assert.deepEqual((await wait).diagnostics, []);
  });

  it('the server is still alive and did not log handler failures', async () => {
    assert.equal(client.exited, false, `server exited: ${client.exitCode} ${client.stderr}`);
    const failures = client.logs.filter((l) => l.type === 1);
    assert.deepEqual(failures.map((l) => l.message.slice(0, 300)), []);
    assert.deepEqual(client.protocolErrors, []);
  });
});

/** Range of `needle` inside the first occurrence of `context`. */
function rangeIn(text: string, context: string, needle: string): Range {
  const c = text.indexOf(context);
  if (c < 0) throw new Error(`'${context}' not in text`);
  const k = text.indexOf(needle, c);
  return { start: positionAt(text, k), end: positionAt(text, k + needle.length) };
}

const LIB = `model lib

/// A cell defined in lib.snn and used from main.snn.
neuron MyCell {
  parameters { tau = 10 ms }
  state { v: mV = -65 mV }
  equations { dv/dt = (-65 mV - v) / tau }
  spike when v > -50 mV
  reset { v = -65 mV }
}
`;

const MAIN = `model main
import "lib.snn"

population a = MyCell[10] { tau = 5 ms }
population b = MyCell[20]
population c = LIF[5]
probe v(a, b, c)
`;

describe('language server settings (workspace/configuration)', { timeout: 60_000 }, () => {
  let c: LspClient;
  after(async () => {
    await c?.close();
    c?.kill();
  });

  it('spikeworks.maxSynapses lowers the synapse limit: COBA (320,000 synapses) becomes too large', async () => {
    ensureBuilt();
    c = new LspClient({ settings: { maxSynapses: 100_000, memoryLimitMB: 8192 } });
    await c.initialize(null, { configuration: true });
    const uri = URI.file(join(tmpdir(), 'spikeworks-settings', 'coba.snn')).toString();
    const wait = c.waitFor<{ uri: string; diagnostics: LspDiagnostic[] }>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d) => /synapses/.test(d.message)), 15_000);
    c.open(uri, COBA, 1);
    const p = await wait;
    const d = p.diagnostics.find((x) => /synapses/.test(x.message))!;
    assert.equal(d.severity, 1);
    assert.match(d.message, /maxSynapses|limit/);
  });
});

/**
 * Whether Markdown holds a link a renderer would make live: `[label](target)` or `<scheme:…>`
 * outside code spans and fences, with the brackets unescaped.
 */
function liveLink(md: string): string | undefined {
  const text = md.replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '').replace(/(`+)[\s\S]*?\1/g, '');
  const m = /(?<!\\)\[[^\]]*(?<!\\)\]\s*(?<!\\)\(/.exec(text) ?? /(?<!\\)<[a-z][a-z0-9+.-]*:/i.exec(text);
  return m?.[0];
}

describe('markdown from model text (hover, completion)', { timeout: 60_000 }, () => {
  let c: LspClient;
  after(async () => {
    await c?.close();
    c?.kill();
  });

  it('diagnostics (codeDescription) and keyword hovers link to the section of the bundled LANGUAGE.md; model text beside them stays escaped', async () => {
    ensureBuilt();
    const reference = join(repoRoot, 'dist', 'LANGUAGE.md');
    const refUri = URI.file(reference).toString();
    const headings = readFileSync(reference, 'utf8').split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    // An anchor names a heading of the file (the slug Markdown previews give it).
    const anchorOf = (href: string) => {
      assert.ok(href.startsWith(`${refUri}#`), href);
      const anchor = href.slice(refUri.length + 1);
      assert.ok(headings.some((h) => h.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-') === anchor), `#${anchor} is no heading of LANGUAGE.md`);
      return anchor;
    };
    const c2 = new LspClient();
    try {
      await c2.initialize(null);
      const text = [
        '/// Evil [x](command:foo) and <img src=x onerror=alert(1)> here.',
        'neuron Evil2 {',
        '  parameters { tau = 15 ms }',
        '  state { v: mV = 0 mV }',
        '  equations { dv/dt = -v / tau }',
        '  spike when v > 10 mV',
        '}',
        'population p = Evil2[2] { tau = 5 mV }',
        '',
      ].join('\n');
      const uri = URI.file(join(tmpdir(), 'spikeworks-md', 'links.snn')).toString();
      const wait = c2.waitForDiagnostics(uri, 1);
      c2.open(uri, text, 1);
      const diags = (await wait).diagnostics as (LspDiagnostic & { codeDescription?: { href: string } })[];
      assert.equal(diags.length, 1, JSON.stringify(diags));
      assert.equal(diags[0].code, 'unit-mismatch');
      assert.equal(anchorOf(diags[0].codeDescription?.href ?? ''), 'quantities-and-units');
      const hoverAt = async (needle: string, n = 1) => {
        const h = await c2.request('textDocument/hover', { textDocument: { uri }, position: rangeOf(text, needle, n).start });
        return (h?.contents?.value ?? '') as string;
      };
      const kw = await hoverAt('population');
      const link = /\n\n\[LANGUAGE\.md: Network\]\(([^)]+)\)$/.exec(kw);
      assert.ok(link, `no link at the end of: ${kw}`);
      assert.equal(anchorOf(link[1]), 'network');
      assert.equal(liveLink(kw.slice(0, link.index)), undefined, 'the keyword doc itself has no link');
      const eq = await hoverAt('equations');
      assert.match(eq, /\[LANGUAGE\.md: Definitions\]\([^)]+#definitions\)$/);
      const model = await hoverAt('Evil2', 2);
      assert.match(model, /\\\[x\\\]\\\(command:foo\\\)/, `escaped link text in: ${model}`);
      assert.match(model, /\\<img src=x onerror=alert\\\(1\\\)\\>/, `escaped <img> in: ${model}`);
      assert.equal(liveLink(model), undefined, model);
      assert.doesNotMatch(model, /LANGUAGE\.md/, 'no reference link on a user name');
    } finally {
      await c2.close();
      c2.kill();
    }
  });

  it('doc comments and names with [x](command:…) are never live links; code spans stay code', async () => {
    ensureBuilt();
    assert.equal(liveLink('see [run](command:workbench.action.terminal.new)'), '[run](');
    assert.equal(liveLink('see \\[run\\]\\(command:x\\) and `[a](b)`'), undefined);
    c = new LspClient();
    await c.initialize(null);
    const text = [
      '/// Evil [click me](command:workbench.action.terminal.new) and <command:x.y> but `code [a](b)` stays.',
      'neuron Evil {',
      '  parameters { tau = 15 ms  // [tau link](command:workbench.action.openSettings) **bold**',
      '  }',
      '  state { v: mV = 0 mV }',
      '  equations { dv/dt = -v / tau }',
      '  spike when v > 10 mV',
      '}',
      'population p = Evil[2] { tau = 5 ms }',
      '',
    ].join('\n');
    const uri = URI.file(join(tmpdir(), 'spikeworks-md', 'evil.snn')).toString();
    const wait = c.waitForDiagnostics(uri, 1);
    c.open(uri, text, 1);
    await wait;
    const hoverAt = async (needle: string, n = 1) => {
      const h = await c.request('textDocument/hover', { textDocument: { uri }, position: rangeOf(text, needle, n).start });
      return (h?.contents?.value ?? '') as string;
    };
    const model = await hoverAt('Evil', 2);
    assert.match(model, /click me/);
    assert.match(model, /`code \[a\]\(b\)`/, 'a code span is kept as code');
    assert.equal(liveLink(model), undefined, model);
    const tau = await hoverAt('tau', 3);
    assert.match(tau, /tau link/);
    assert.equal(liveLink(tau), undefined, tau);
    assert.doesNotMatch(tau, /(?<!\\)\*\*bold/, 'no live emphasis either');
    const res = await c.request('textDocument/completion', { textDocument: { uri }, position: { line: 8, character: 15 } });
    const items: any[] = Array.isArray(res) ? res : res.items;
    const evil = items.find((i) => i.label === 'Evil');
    assert.ok(evil?.documentation, `no Evil among ${items.map((i) => i.label).join(', ')}`);
    assert.equal(liveLink(evil.documentation.value), undefined, evil.documentation.value);
    // In the equation `-v / tau`: the model's names, with their doc comments.
    const inBlock = await c.request('textDocument/completion', { textDocument: { uri }, position: rangeOf(text, 'tau', 3).start });
    const tauItem = (Array.isArray(inBlock) ? inBlock : inBlock.items).find((i: any) => i.label === 'tau');
    assert.ok(tauItem?.documentation, 'tau completion has its doc');
    assert.equal(liveLink(tauItem.documentation.value), undefined, tauItem.documentation.value);
  });
});

describe('workspace trust (initializationOptions.trusted, spikeworks/setTrusted)', { timeout: 60_000 }, () => {
  let c: LspClient;
  let root = '';
  after(async () => {
    await c?.close();
    c?.kill();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('untrusted: no data file is read and the diagnostic says so; setTrusted re-publishes with the values read', async () => {
    ensureBuilt();
    root = realpathSync(mkdtempSync(join(tmpdir(), 'spikeworks-trust-lsp-')));
    mkdirSync(join(root, 'ws', 'data'), { recursive: true });
    // Three values for two neurons: once read, the count is wrong (proof that the file was read).
    writeFileSync(join(root, 'ws', 'data', 'tau.csv'), 'tau_m\n10\n20\n30\n');
    writeFileSync(join(root, 'secret.csv'), 'SECRET_TOKEN=hunter2\n1\n2\n');
    const text = [
      'population a = LIF[2] { tau_m = from_file("data/tau.csv", unit = ms) }',
      'population b = LIF[2] { tau_m = from_file("../secret.csv", unit = ms) }',
      'population c = LIF[2] { tau_m = from_file("/proc/self/environ", unit = ms) }',
      '',
    ].join('\n');
    writeFileSync(join(root, 'ws', 'm.snn'), text);
    c = new LspClient();
    await c.initialize(URI.file(join(root, 'ws')).toString(), { initializationOptions: { trusted: false } });
    const uri = URI.file(join(root, 'ws', 'm.snn')).toString();
    const wait = c.waitForDiagnostics(uri, 1);
    c.open(uri, text, 1);
    const before = (await wait).diagnostics.filter((d) => d.severity === 1);
    assert.deepEqual(before.map((d) => d.range), [rangeOf(text, '"data/tau.csv"'), rangeOf(text, '"../secret.csv"'), rangeOf(text, '"/proc/self/environ"')]);
    for (const d of before) assert.match(d.message, /data files are read once the workspace is trusted/);
    const again = c.waitForDiagnostics(uri, 1);
    c.notify('spikeworks/setTrusted', { trusted: true });
    const after = (await again).diagnostics.filter((d) => d.severity === 1);
    assert.equal(after.length, 3, JSON.stringify(after));
    assert.deepEqual(after[0].range, rangeOf(text, 'from_file("data/tau.csv", unit = ms)'));
    assert.match(after[0].message, /data\/tau\.csv has 3 values of tau_m/);
    for (const d of after.slice(1)) {
      assert.match(d.message, /is outside the workspace; data files outside the workspace folders are not read/);
      assert.doesNotMatch(d.message, /hunter2|SECRET_TOKEN|PATH=/);
    }
  });

  it('a client without initializationOptions is trusted, still confined to its workspace folders', async () => {
    const c2 = new LspClient();
    try {
      await c2.initialize(URI.file(join(root, 'ws')).toString());
      const text = 'population a = LIF[3] { tau_m = from_file("data/tau.csv", unit = ms) }\npopulation b = LIF[2] { tau_m = from_file("../secret.csv", unit = ms) }\n';
      const uri = URI.file(join(root, 'ws', 'm2.snn')).toString();
      const wait = c2.waitForDiagnostics(uri, 1);
      c2.open(uri, text, 1);
      const ds = (await wait).diagnostics.filter((d) => d.severity === 1);
      assert.equal(ds.length, 1, JSON.stringify(ds));
      assert.deepEqual(ds[0].range, rangeOf(text, '"../secret.csv"'));
      assert.match(ds[0].message, /outside the workspace/);
    } finally {
      await c2.close();
      c2.kill();
    }
  });
});

describe('workspace folders added or removed later (workspace/didChangeWorkspaceFolders)', { timeout: 60_000 }, () => {
  let c: LspClient;
  let root = '';
  after(async () => {
    await c?.close();
    c?.kill();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a data file in a second folder is outside until that folder is added, and outside again once it is removed', async () => {
    ensureBuilt();
    root = realpathSync(mkdtempSync(join(tmpdir(), 'spikeworks-folders-lsp-')));
    mkdirSync(join(root, 'ws'));
    mkdirSync(join(root, 'other'));
    // Three values for two neurons: once read, the count is wrong (proof that the file was read).
    writeFileSync(join(root, 'other', 'tau.csv'), 'tau_m\n10\n20\n30\n');
    const text = 'population a = LIF[2] { tau_m = from_file("../other/tau.csv", unit = ms) }\n';
    writeFileSync(join(root, 'ws', 'm.snn'), text);
    c = new LspClient();
    const init = await c.initialize(URI.file(join(root, 'ws')).toString());
    assert.equal(init.capabilities.workspace?.workspaceFolders?.changeNotifications, true, JSON.stringify(init.capabilities.workspace));
    const uri = URI.file(join(root, 'ws', 'm.snn')).toString();
    const errors = async (trigger: () => void) => {
      const wait = c.waitForDiagnostics(uri, 1);
      trigger();
      return (await wait).diagnostics.filter((d) => d.severity === 1);
    };

    const outside = await errors(() => c.open(uri, text, 1));
    assert.equal(outside.length, 1, JSON.stringify(outside));
    assert.deepEqual(outside[0].range, rangeOf(text, '"../other/tau.csv"'));
    assert.match(outside[0].message, /is outside the workspace; data files outside the workspace folders are not read/);

    const other = { uri: URI.file(join(root, 'other')).toString(), name: 'other' };
    const read = await errors(() => c.notify('workspace/didChangeWorkspaceFolders', { event: { added: [other], removed: [] } }));
    assert.equal(read.length, 1, JSON.stringify(read));
    assert.deepEqual(read[0].range, rangeOf(text, 'from_file("../other/tau.csv", unit = ms)'));
    assert.match(read[0].message, /tau\.csv has 3 values of tau_m/);

    const again = await errors(() => c.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [other] } }));
    assert.equal(again.length, 1, JSON.stringify(again));
    assert.match(again[0].message, /is outside the workspace/);
    assert.deepEqual(c.protocolErrors, []);
    assert.ok(!c.logs.some((l) => /failed/.test(l.message)), JSON.stringify(c.logs));
  });
});
