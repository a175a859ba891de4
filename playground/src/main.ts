// The playground page: Monaco with the .snn language, checked by the language server in a
// worker (lsp-bridge.ts), runs on the engine in a worker (run-host.ts), the extension's result
// panels in frames (panel-frames.ts), the examples, share links (share.ts), downloads
// (downloads.ts), light and dark themes, and what the browser lacks (capabilities.ts).
// Nothing is fetched from another origin; text from models and links is only ever set as text.
import { languageServerWorker } from './boot';
import examples from 'playground:examples';
import { detect } from './capabilities';
import { download, resultsJson, spikesCsv } from './downloads';
import { LANGUAGE_ID, LspBridge } from './lsp-bridge';
import { monaco } from './monaco';
import { PanelFrames, type PanelKind } from './panel-frames';
import { startRun, type RunHandle, type RunResults } from './run-host';
import { makeFragment, readFragment, safeName } from './share';
import { registerSnn, themeName } from './snn-language';
import './playground.css';
import { inputFilesOf } from '../../sim-host/src/core/input-files';
import type { RunMessage } from '../../protocol/panel-data';
import { threadsStatus } from './threads';

performance.mark('spikeworks:modules');
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

type Theme = 'light' | 'dark';
const THEME_KEY = 'spikeworks-playground-theme';
const DEFAULT_EXAMPLE = 'coba.snn';
/** Diagnostic codes of data files a model names (there are none in a page). */
const FILE_CODES = new Set(['missing-file', 'untrusted']);
const NO_FILES = 'A web page has no file system: run it with the CLI (spikeworks run) or in VS Code, where its files are read.';

const ui = {
  examples: $<HTMLSelectElement>('examples'),
  run: $<HTMLButtonElement>('run'),
  cancel: $<HTMLButtonElement>('cancel'),
  seed: $<HTMLInputElement>('seed'),
  backend: $<HTMLSelectElement>('backend'),
  share: $<HTMLButtonElement>('share'),
  json: $<HTMLButtonElement>('download-json'),
  csv: $<HTMLButtonElement>('download-csv'),
  theme: $<HTMLButtonElement>('theme'),
  notices: $<HTMLElement>('notices'),
  message: $<HTMLElement>('message'),
  checkStatus: $<HTMLElement>('check-status'),
  runStatus: $<HTMLElement>('run-status'),
  editor: $<HTMLElement>('editor'),
  tabs: [...document.querySelectorAll<HTMLButtonElement>('[role=tab]')],
};

/** A message for the user (plain text, never markup), replaced by the next; '' clears it. */
function say(text: string, kind: 'info' | 'error' = 'info'): void {
  ui.message.textContent = text;
  ui.message.dataset.kind = kind;
  ui.message.hidden = !text;
}

// ---- theme ----
const stored = localStorage.getItem(THEME_KEY);
let theme: Theme = stored === 'light' || stored === 'dark' ? stored : matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
document.documentElement.dataset.theme = theme;

// ---- editor ----
registerSnn();
// The server is asked to initialize first: it does so on its thread while the editor is built.
let diagnosticsSeen: { uri: string; version: number | undefined; at: number; errors: number; warnings: number } | undefined;
const bridge = new LspBridge(languageServerWorker, {
  onDiagnostics: (uri, diagnostics) => {
    const errors = diagnostics.filter((d) => (d.severity ?? 1) === 1).length;
    const warnings = diagnostics.filter((d) => d.severity === 2).length;
    diagnosticsSeen = { uri, version: current?.model.getVersionId(), at: performance.now(), errors, warnings };
    if (uri === current?.model.uri.toString()) {
      ui.checkStatus.textContent = errors ? `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''} (F8: next)` : warnings ? `checked: ${warnings} warning${warnings === 1 ? '' : 's'}` : 'checked: no problems';
      ui.checkStatus.dataset.errors = String(errors);
      // From the start of navigation (performance.now()'s origin): page load to a checked model.
      if (firstCheck === undefined) {
        performance.mark('spikeworks:checked');
        checked();
      }
      firstCheck ??= performance.now();
      setTimeout(loadPanels, 0);
      const file = diagnostics.find((d) => FILE_CODES.has(String(d.code)));
      if (file && !current.toldFiles) {
        current.toldFiles = true;
        say(`This model reads data files (line ${file.range.start.line + 1}). ${NO_FILES}`, 'error');
      }
    }
  },
});
let firstCheck: number | undefined;
const editor = monaco.editor.create(ui.editor, {
  language: LANGUAGE_ID,
  theme: themeName(theme),
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 14,
  tabSize: 2,
  insertSpaces: true,
  'semanticHighlighting.enabled': true,
  wordBasedSuggestions: 'off',
  scrollBeyondLastLine: false,
  fixedOverflowWidgets: true,
  ariaLabel: 'Model editor (.snn). Ctrl+Enter runs the model; Ctrl+M toggles whether Tab moves the focus.',
});

performance.mark('spikeworks:editor');

let current: { name: string; model: monaco.editor.ITextModel; sync: monaco.IDisposable; toldFiles?: boolean } | undefined;
let counter = 0;

/** Shows `text` as the model `name` (a fresh model each time: undo history and markers start over). */
function openModel(name: string, text: string): void {
  const old = current;
  const uri = monaco.Uri.parse(`file:///playground/${++counter}/${name}`);
  const model = monaco.editor.createModel(text, LANGUAGE_ID, uri);
  current = { name, model, sync: bridge.open(model) };
  editor.setModel(model);
  if (old) {
    old.sync.dispose();
    old.model.dispose();
  }
  ui.checkStatus.textContent = 'checking…';
  ui.checkStatus.dataset.errors = '';
  document.title = `${name} · Spikeworks playground`;
}

// ---- examples ----
for (const e of examples) ui.examples.append(new Option(e.name, e.name));
ui.examples.addEventListener('change', () => {
  const e = examples.find((x) => x.name === ui.examples.value);
  if (!e) return;
  openModel(e.name, e.text);
  history.replaceState(null, '', location.pathname + location.search);
  say('');
});

// ---- results panels ----
let run: RunHandle | undefined;
let runStarted = 0;
let runWall = 0;
const panels = new PanelFrames({ raster: $('panel-raster'), traces: $('panel-traces') }, {
  replay: () => run?.results.replay(),
  save: (fileName, data, format) => download(fileName, data, format === 'svg' ? 'image/svg+xml' : 'text/csv'),
  reveal: (population) => revealPopulation(population),
});
// The panels' frames load once the model is checked (or after a second): they share this
// thread, and the editor comes first.
let panelsLoaded = false;
function loadPanels(): void {
  if (panelsLoaded) return;
  panelsLoaded = true;
  panels.load();
}
setTimeout(loadPanels, 1000);

function revealPopulation(name: string): void {
  const model = current?.model;
  if (!model) return;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = model.findMatches(`^\\s*population\\s+${escaped}\\b`, false, true, true, null, false)[0];
  if (!m) return say(`Population ${name} is not defined in this model (was it renamed since the run?).`);
  editor.setSelection(m.range);
  editor.revealRangeInCenter(m.range);
  editor.focus();
}

function selectTab(kind: PanelKind): void {
  for (const t of ui.tabs) {
    const on = t.dataset.panel === kind;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    $(`panel-${t.dataset.panel}`).hidden = !on;
  }
}
ui.tabs.forEach((t, k) => {
  t.addEventListener('click', () => selectTab(t.dataset.panel as PanelKind));
  t.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = ui.tabs[(k + (e.key === 'ArrowRight' ? 1 : ui.tabs.length - 1)) % ui.tabs.length];
    selectTab(next.dataset.panel as PanelKind);
    next.focus();
  });
});
selectTab('raster');

// ---- runs ----
const emit = (m: RunMessage) => panels.post(m);

function setRunning(on: boolean): void {
  ui.run.disabled = on;
  ui.cancel.disabled = !on;
  ui.json.disabled = on || !run;
  ui.csv.disabled = on || !run;
}

function showProgress(r: RunResults): void {
  const pct = Math.floor((100 * r.stepsDone) / Math.max(1, r.info.steps));
  const count = r.spikeCount().toLocaleString('en-US');
  ui.runStatus.dataset.status = r.status;
  ui.runStatus.dataset.spikes = String(r.spikeCount());
  const threads = threadsStatus(r.output?.threads);
  ui.runStatus.textContent = r.status === 'running' ? `running: ${pct}% · ${count} spikes` : `${r.status}: ${count} spikes · seed ${r.info.seed} · ${r.info.backend}${r.status === 'done' ? ` · ${(runWall / 1000).toFixed(2)} s` : ''}${threads ? ` · ${threads}` : ''}`;
}

async function runModel(): Promise<void> {
  if (!current || run?.results.status === 'running') return;
  const { model, name } = current;
  say('');
  ui.runStatus.textContent = 'checking…';
  const lowered = await bridge.lowerModel(model.uri.toString(), model.getValue());
  if (!lowered.ok) {
    const first = lowered.diagnostics[0];
    const fileRead = lowered.diagnostics.find((d) => FILE_CODES.has(d.code));
    ui.runStatus.textContent = 'not run';
    if (fileRead) say(`Not run: this model reads a data file (line ${fileRead.line}: ${fileRead.message}). ${NO_FILES}`, 'error');
    else say(`Not run: ${lowered.diagnostics.length === 1 ? 'an error' : `${lowered.diagnostics.length} errors`} to fix first${first ? ` (line ${first.line}: ${first.message})` : ''}.`, 'error');
    return;
  }
  const ir = lowered.ir;
  const files = inputFilesOf(ir);
  if (files.length) {
    ui.runStatus.textContent = 'not run';
    say(`Not run: this model reads ${files.map((f) => `the ${f.what} ${f.file}`).join(' and ')}. ${NO_FILES}`, 'error');
    return;
  }
  const seedText = ui.seed.value.trim();
  const seed = /^\d{1,10}$/.test(seedText) ? Number(seedText) : ir.simulate.seed;
  const backend = ui.backend.value === 'wasm' || ui.backend.value === 'webgpu' ? ui.backend.value : 'auto';
  runStarted = performance.now();
  run = startRun(ir, { seed, backend, document: model.uri.toString(), fileName: name, workerUrl: 'engine-worker.js' }, (m) => {
    emit(m);
    if (m.type === 'status' && run) showProgress(run.results);
  });
  setRunning(true);
  showProgress(run.results);
  const r = await run.finished;
  runWall = performance.now() - runStarted;
  setRunning(false);
  showProgress(r);
  if (r.status === 'failed') say(r.message ?? 'The run failed.', 'error');
  // Notes of a run the user chose a backend for (why it is not on it); `auto`'s choice is in the notices.
  else if (r.message && backend !== 'auto') say(r.message);
  ui.runStatus.title = r.message ?? '';
}

ui.run.addEventListener('click', () => void runModel());
ui.cancel.addEventListener('click', () => run?.cancel());
editor.addAction({ id: 'spikeworks.run', label: 'Spikeworks: Run Simulation', keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter], run: () => void runModel() });
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && !editor.hasTextFocus()) {
    e.preventDefault();
    void runModel();
  }
  if (e.key === 'Escape' && run?.results.status === 'running') run.cancel();
});

ui.json.addEventListener('click', () => run && download(`${(current?.name ?? 'model').replace(/\.snn$/, '')}-seed${run.results.info.seed}.json`, resultsJson(run.results, runWall / 1000), 'application/json'));
ui.csv.addEventListener('click', () => run && download(`${(current?.name ?? 'model').replace(/\.snn$/, '')}-seed${run.results.info.seed}-spikes.csv`, spikesCsv(run.results), 'text/csv'));

// ---- share ----
ui.share.addEventListener('click', async () => {
  if (!current) return;
  const seedText = ui.seed.value.trim();
  const made = await makeFragment({ text: current.model.getValue(), name: current.name, seed: /^\d{1,10}$/.test(seedText) ? Number(seedText) : undefined });
  if (!made.ok) return say(made.message, 'error');
  history.replaceState(null, '', `#${made.fragment}`);
  const link = location.href;
  try {
    await navigator.clipboard.writeText(link);
    say(`Share link copied (${link.length.toLocaleString('en-US')} characters); it is also in the address bar. The model travels in the link itself.`);
  } catch {
    say(`Share link made (${link.length.toLocaleString('en-US')} characters): copy it from the address bar. The model travels in the link itself.`);
  }
});

async function openFromLocation(): Promise<void> {
  const read = await readFragment(location.hash);
  const fallback = examples.find((e) => e.name === DEFAULT_EXAMPLE) ?? examples[0];
  if (read.ok && read.shared) {
    openModel(read.shared.name ?? 'shared.snn', read.shared.text);
    ui.examples.value = '';
    if (read.shared.seed !== undefined) ui.seed.value = String(read.shared.seed);
    return;
  }
  if (!read.ok) say(read.message, 'error');
  openModel(fallback.name, fallback.text);
  ui.examples.value = fallback.name;
}
window.addEventListener('hashchange', () => void openFromLocation());

// ---- theme toggle ----
function applyTheme(t: Theme): void {
  theme = t;
  document.documentElement.dataset.theme = t;
  monaco.editor.setTheme(themeName(t));
  panels.setTheme(t);
  ui.theme.textContent = t === 'dark' ? '☾ Dark' : '☀ Light';
  ui.theme.title = `Theme: ${t} (click for ${t === 'dark' ? 'light' : 'dark'})`;
  ui.theme.setAttribute('aria-label', `Theme: ${t}. Switch to ${t === 'dark' ? 'light' : 'dark'}`);
}
ui.theme.addEventListener('click', () => {
  applyTheme(theme === 'dark' ? 'light' : 'dark');
  localStorage.setItem(THEME_KEY, theme);
});
applyTheme(theme);

// ---- what this browser lacks ----
// After the first check (the adapter request and the cache's downloads wait for the editor).
let checked!: () => void;
const firstChecked = new Promise<void>((r) => (checked = r));
const caps = firstChecked.then(detect).then((c) => {
  const lines = [c.webgpuNote, ...c.notes].filter((x): x is string => !!x);
  if (c.webgpu === 'hardware') lines.unshift(`WebGPU: ${c.adapter} (choose “WebGPU” or “auto” to run on it).`);
  for (const l of lines) {
    const p = document.createElement('p');
    p.textContent = l;
    ui.notices.append(p);
  }
  ui.notices.hidden = !lines.length;
  if (!c.wasmSimd) ui.run.disabled = true;
  return c;
});

// ---- offline: the service worker caches this build ----
if ('serviceWorker' in navigator && location.protocol !== 'file:' && !new URLSearchParams(location.search).has('no-sw')) {
  void firstChecked.then(() => navigator.serviceWorker.register('sw.js')).catch((e: Error) => console.warn(`offline cache unavailable: ${e.message}`));
}

setRunning(false);
const ready = (async () => {
  await openFromLocation();
  await bridge.ready;
  performance.mark('spikeworks:server-ready');
  editor.focus();
})();

/** For tests and the benchmark: the editor, the current model and run, timings. */
(window as unknown as { spikeworksPlayground: unknown }).spikeworksPlayground = {
  monaco,
  editor,
  ready,
  caps,
  get model() {
    return current?.model;
  },
  get run() {
    return run?.results;
  },
  get firstCheckMs() {
    return firstCheck;
  },
  get lastDiagnostics() {
    return diagnosticsSeen;
  },
  panels: (kind: PanelKind) => panels.frame(kind),
  runModel,
  cancel: () => run?.cancel(),
  openModel,
};
