// Runs simulations for documents: one run per model file (a second run of the same file replaces
// the first), on a worker thread (sim-host/src/host.ts), with a cancellable progress
// notification (also while long connection rules are built), the status bar, the log channel, diagnostics for refused runs, and the latest
// run's data kept in memory and on disk for the panels. Data files are read only once the
// workspace is trusted and only inside its folders (the model check here, event and edge files
// in the worker through `readRoots`); every message goes through notify.ts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo, RunMessage, TraceInfo } from '../../../protocol/panel-data';
import type { ModelIR } from '../../../protocol/ir';
import type { PopulationShape, PopulationSpikes, ProgressDelta, RunOutput } from '../../../protocol/sim';
import { RunRefused, RunTerminated, startRun, type RunHandle } from '../../../sim-host/src/host';
import { plain, type Notifier } from '../notify';
import { fileName, filesAwaitingTrust, loadModel, readRootsFor, recordedPopulations, simulateBlocks, traceUnit, isConnection } from './model';
import { fallbackMessage } from './fallback';
import { buildProgressMessage, readoutReport, runEnd } from './outcome';
import { RunRecord } from './run-record';
import { loadRun, runDir, saveRun } from './run-store';
import { runSettings, type Backend } from './settings';
import { ranOn, runWarning } from './threads';
import type { RunStatusBar } from './status-bar';

/** How long a cancelled worker may take to hand back what it recorded before it is ended. */
const STOP_GRACE_MS = 120;

/** What "Run Simulation" resolves with (tests and other extensions use it). */
export interface RunSummary {
  runId: string;
  status: string;
  spikes: number;
  stepsDone: number;
  message?: string;
}

export interface RunEvent {
  document: string;
  message: RunMessage;
}

interface Active {
  runId: string;
  record: RunRecord;
  handle?: RunHandle;
  /** Set when a stop was asked for (performance.now()). */
  stopAt?: number;
  finished: boolean;
  finish: () => void;
  /** Trace units by "population.variable". */
  units: Map<string, string>;
  /** Probe targets that are connections (per-synapse traces). */
  connections: Set<string>;
  /** The populations whose spikes the model records (by name). */
  recorded: Set<string>;
  /** Shows build progress in the run's progress notification (set once the notification is up). */
  reportBuild?: (message: string) => void;
}

let runCounter = 0;

export class Runner implements vscode.Disposable {
  private active = new Map<string, Active>();
  private latest = new Map<string, RunRecord>();
  /** The run before the latest of each model (this session), for "Compare runs". */
  private previous = new Map<string, RunRecord>();
  private emitter = new vscode.EventEmitter<RunEvent>();
  private changed = new vscode.EventEmitter<void>();
  /** Every message for the panels (run, spikes, samples, status). */
  readonly onMessage = this.emitter.event;
  /** A run started or ended (CodeLens, context keys). */
  readonly onDidChangeRunning = this.changed.event;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('spikeworks-run');

  constructor(
    private readonly extensionPath: string,
    private readonly storageRoot: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: RunStatusBar,
    private readonly notify: Notifier,
  ) {}

  isRunning(document: string): boolean {
    return this.active.has(document);
  }

  runningDocuments(): string[] {
    return [...this.active.keys()];
  }

  /** The finished run before the latest one of a model (this session), if any. */
  previousRun(document: string): RunRecord | undefined {
    return this.previous.get(document);
  }

  /** The latest run of a model: in memory, else from the store (after a reload). */
  latestRun(document: string): RunRecord | undefined {
    const hit = this.latest.get(document);
    if (hit) return hit;
    const stored = loadRun(runDir(this.storageRoot, document), (why) => this.log.warn(`${fileName(document)}: the stored results were discarded: ${why}`));
    if (stored && stored.info.document === document) {
      this.latest.set(document, stored);
      return stored;
    }
    return undefined;
  }

  /**
   * Runs `doc` (replacing a run of the same file); resolves when the run has ended, with what
   * it produced (undefined when it did not start: model errors, no trust).
   */
  async run(doc: vscode.TextDocument, backendOverride?: Backend): Promise<RunSummary | undefined> {
    const record = await this.runRecord(doc, backendOverride);
    return record && { runId: record.info.runId, status: record.status, spikes: record.spikeCount(), stepsDone: record.stepsDone, message: record.message };
  }

  private async runRecord(doc: vscode.TextDocument, backendOverride?: Backend): Promise<RunRecord | undefined> {
    const key = doc.uri.toString();
    const name = fileName(key);
    const previous = this.active.get(key);
    if (previous) {
      this.log.info(`${name}: a new run replaces the one in progress`);
      await this.end(previous, 'cancelled', 'replaced by a new run');
    }
    this.diagnostics.delete(doc.uri);

    const text = doc.getText();
    const roots = readRootsFor(
      (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      doc.uri.fsPath,
    );
    const load = () => loadModel(key, text, path.join(this.extensionPath, 'dist'), { trusted: vscode.workspace.isTrusted, roots });
    let loaded = load();
    const untrusted = filesAwaitingTrust(loaded, path.dirname(doc.uri.fsPath));
    if (untrusted.length && !vscode.workspace.isTrusted) {
      // Nothing was read: wait for trust, then check again with the data files.
      this.status.setRunning(key, name, 0, 'waiting for workspace trust');
      this.log.info(`${name}: reads ${untrusted.join(', ')}; waiting for workspace trust`);
      const trusted = await this.waitForTrust(name, untrusted);
      this.status.setIdle(key);
      if (!trusted) return;
      loaded = load();
    }
    if (!loaded.ok) {
      const first = loaded.errors[0];
      this.log.warn(`${name}: not run, ${loaded.errors.length} error(s); first: line ${first ? first.line + 1 : '?'}: ${first?.message ?? ''}`);
      const pick = await this.notify.error(
        `${name} has ${loaded.errors.length === 1 ? 'an error' : `${loaded.errors.length} errors`}; fix ${loaded.errors.length === 1 ? 'it' : 'them'} to run the model.${first ? ` (line ${first.line + 1}: ${first.message})` : ''}`,
        'Show Problems',
      );
      if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
      return;
    }
    const ir = loaded.ir;
    const settings = runSettings(doc.uri);
    const block = simulateBlocks(text)[0];
    const duration = block && !block.hasDuration ? settings.defaultDuration : undefined;
    // The worker picks: WebGPU where an adapter is (auto: a hardware one), else WASM, and says why.
    const backend = backendOverride ?? settings.backend ?? ir.simulate.backend ?? 'auto';

    const seed = settings.seed ?? ir.simulate.seed;
    const runId = `${Date.now().toString(36)}-${++runCounter}`;
    const steps = Math.round((duration ?? ir.simulate.duration) / ir.simulate.dt);
    // The populations come from the plan (the worker publishes its order): until then, none.
    const info: RunInfo = { runId, document: key, fileName: name, model: ir.name, dt: ir.simulate.dt, steps, seed, backend, populations: [] };
    let finish!: () => void;
    const done = new Promise<void>((res) => (finish = res));
    const run = this.begin(key, ir, info, finish);
    const record = run.record;
    this.active.set(key, run);
    this.changed.fire();
    this.emit(key, { type: 'run', run: info });
    this.log.info(`${name}: run ${runId} started — ${steps.toLocaleString('en-US')} steps of ${fmtTime(ir.simulate.dt)}, seed ${seed}${settings.seed !== undefined ? ' (spikeworks.simulation.seed)' : ''}, backend ${backend}`);
    this.status.setRunning(key, name, 0, 'building');
    const threadsWarning = runWarning(name, settings.threads, ir, backend);
    if (threadsWarning) this.log.warn(threadsWarning);

    const t0 = performance.now();
    try {
      run.handle = startRun(
        ir,
        { seed, duration, memoryLimit: settings.memoryLimitBytes, baseDir: path.dirname(doc.uri.fsPath), readRoots: roots, progressEveryMs: 100, stream: true, buildProgress: true, backend, threads: settings.threads },
        (done, total, _spikes, delta, build) => (build ? this.buildProgress(key, run, build.label, done, total) : this.progress(key, run, done, total, delta)),
        path.join(this.extensionPath, 'dist', 'sim-worker.js'),
      );
    } catch (e) {
      await this.fail(key, run, doc, `could not start the simulation worker: ${(e as Error).message}`);
      return record;
    }
    void this.notify.progress(
      { location: vscode.ProgressLocation.Notification, title: `Simulating ${name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => void this.stop(key));
        let building = '';
        run.reportBuild = (message) => {
          if (message === building) return;
          building = message;
          progress.report({ message });
        };
        let reported = 0;
        const sub = this.onMessage((e) => {
          if (e.document !== key || e.message.type !== 'status' || e.message.runId !== runId) return;
          const pct = Math.floor((100 * e.message.stepsDone) / Math.max(1, steps));
          if (pct > reported || building) {
            // The first step after a build replaces the build's message.
            progress.report({ increment: pct - reported, message: `${pct}% · ${record.spikeCount().toLocaleString('en-US')} spikes` });
            reported = pct;
            building = '';
          }
        });
        await done;
        run.reportBuild = undefined;
        sub.dispose();
      },
    );

    let output: RunOutput;
    try {
      output = await run.handle.result;
    } catch (e) {
      if (run.finished) return record;
      if (e instanceof RunTerminated) await this.end(run, 'cancelled');
      else if (e instanceof RunRefused) await this.fail(key, run, doc, e.message);
      else await this.fail(key, run, doc, `the simulation failed: ${(e as Error).message}`);
      return record;
    }
    if (run.finished) return record;
    // A run too short for a progress message publishes its populations only here.
    this.publishPopulations(key, run, output.populations);
    // The tail recorded after the last progress message.
    this.addSpikes(
      key,
      run,
      output.spikes.map((s) => {
        const have = record.spikeCount(record.populationIndex(s.name));
        return { ...s, steps: s.steps.subarray(have), neurons: s.neurons.subarray(have) };
      }),
    );
    const chunks = output.traces.flatMap((t) => {
      const n = t.neurons.length;
      const have = record.sampleCount(t.population, t.variable);
      const total = n ? Math.floor(t.data.length / n) : 0;
      if (total <= have) return [];
      const c = record.addSamples(this.traceInfo(run, t.population, t.variable, t.neurons, t.every), have, t.data.subarray(have * n, total * n));
      return c ? [c] : [];
    });
    if (chunks.length) this.emit(key, { type: 'samples', runId, chunks });
    record.stepsDone = output.stepsDone;
    const wall = (performance.now() - t0) / 1000;
    if (output.backend) this.log.info(`${name}: ${ranOn(output)}`);
    // The note in full (developer detail: nested reasons, environment variables) is in the log line above.
    if (backend === 'webgpu' && output.backendNote) void this.notify.info(fallbackMessage(name, output.backendNote));
    const ending = runEnd(output);
    if (ending.status === 'failed') {
      await this.fail(key, run, doc, ending.message ?? 'the simulation failed');
      return record;
    }
    if (ending.notice === 'warning' && ending.message) {
      // Stopped cleanly at the recording limit: what was recorded is kept, as for a cancelled run.
      this.log.warn(`${name}: ${ending.message}`);
      void this.notify.warn(`Spikeworks: ${name}: ${ending.message}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'spikeworks.memoryLimitMB');
      });
    }
    const readouts = readoutReport(name, output);
    if (readouts) {
      for (const line of readouts.log) this.log.info(line);
      record.readouts = readouts.panel;
      // A stopped run's windows are partly missing: its scores stay in the log and the panel.
      if (ending.status === 'done') void this.notify.info(`Spikeworks: ${readouts.notice}`);
    }
    this.log.info(`${name}: ${ending.status === 'cancelled' ? 'stopped' : 'done'} — ${(output.stepsDone * output.dt).toFixed(3)} s simulated in ${wall.toFixed(2)} s (build ${output.timings.plan_s.toFixed(2)} s, compile ${output.timings.compile_s.toFixed(3)} s), ${record.spikeCount().toLocaleString('en-US')} spikes, ${output.synapses.toLocaleString('en-US')} synapses`);
    await this.end(run, ending.status, ending.message);
    return record;
  }

  /**
   * Keeps a run made elsewhere (Describe Neurons runs the model itself) as the latest run of
   * `document`, so that the result panels show that very run: its spikes and traces are sent as
   * a finished run's. Refused (undefined) while a run of the file is in progress.
   */
  adopt(document: string, ir: ModelIR, output: RunOutput, backend: string): RunRecord | undefined {
    if (this.active.has(document)) return undefined;
    const runId = `${Date.now().toString(36)}-${++runCounter}`;
    const info: RunInfo = { runId, document, fileName: fileName(document), model: ir.name, dt: output.dt, steps: output.steps, seed: output.seed, backend, populations: [] };
    const run = this.begin(document, ir, info, () => {});
    const record = run.record;
    this.emit(document, { type: 'run', run: info });
    this.log.info(`${info.fileName}: run ${runId} is the run Describe Neurons made (seed ${output.seed}, ${(output.stepsDone * output.dt).toFixed(3)} s)`);
    this.publishPopulations(document, run, output.populations);
    this.addSpikes(document, run, output.spikes);
    const chunks = output.traces.flatMap((t) => {
      const c = record.addSamples(this.traceInfo(run, t.population, t.variable, t.neurons, t.every), 0, t.data);
      return c ? [c] : [];
    });
    if (chunks.length) this.emit(document, { type: 'samples', runId, chunks });
    record.stepsDone = output.stepsDone;
    void this.end(run, output.cancelled ? 'cancelled' : 'done', output.error);
    return record;
  }

  /** A new run of `document`: its record becomes the latest (the one before it the previous). */
  private begin(document: string, ir: ModelIR, info: RunInfo, finish: () => void): Active {
    const record = new RunRecord(info);
    const before = this.latestRun(document);
    if (before && before.status !== 'running') this.previous.set(document, before);
    this.latest.set(document, record);
    const units = new Map(ir.probes.filter((p) => p.variable !== 'spikes').flatMap((p) => p.targets.map((t) => [`${t.name}.${p.variable}`, traceUnit(ir, t.name, p.variable)] as const)));
    const connections = new Set(ir.probes.flatMap((p) => p.targets.map((t) => t.name)).filter((name) => isConnection(ir, name)));
    return { runId: info.runId, record, finished: false, finish, units, connections, recorded: recordedPopulations(ir) };
  }

  /** Stops the run of `document` (or every run): within one chunk of steps, or ends the worker. */
  async stop(document?: string): Promise<void> {
    const runs = document ? [this.active.get(document)].filter((r): r is Active => !!r) : [...this.active.values()];
    await Promise.all(
      runs.map(async (run) => {
        if (run.stopAt !== undefined) return;
        run.stopAt = performance.now();
        this.log.info(`${run.record.info.fileName}: stopping`);
        run.handle?.cancel();
        const timer = setTimeout(() => {
          if (!run.finished) {
            this.log.info(`${run.record.info.fileName}: the worker did not stop within ${STOP_GRACE_MS} ms (building or compiling); ending it`);
            void run.handle?.terminate();
            void this.end(run, 'cancelled');
          }
        }, STOP_GRACE_MS);
        await new Promise<void>((res) => {
          const sub = this.onDidChangeRunning(() => {
            if (run.finished) {
              sub.dispose();
              res();
            }
          });
          if (run.finished) {
            sub.dispose();
            res();
          }
        });
        clearTimeout(timer);
      }),
    );
  }

  private progress(key: string, run: Active, stepsDone: number, total: number, delta?: ProgressDelta): void {
    if (run.finished) return;
    if (delta?.populations) this.publishPopulations(key, run, delta.populations);
    this.addSpikes(key, run, delta?.spikes ?? []);
    const chunks = (delta?.traces ?? []).flatMap((t) => {
      const c = run.record.addSamples(this.traceInfo(run, t.population, t.variable, t.neurons, t.every), t.from, t.data);
      return c ? [c] : [];
    });
    if (chunks.length) this.emit(key, { type: 'samples', runId: run.runId, chunks });
    run.record.stepsDone = stepsDone;
    this.status.setRunning(key, run.record.info.fileName, total ? stepsDone / total : 0);
    this.emit(key, { type: 'status', runId: run.runId, status: 'running', stepsDone });
  }

  /** A long connection rule is being built: the status bar and the progress notification say how far. */
  private buildProgress(key: string, run: Active, label: string, done: number, total: number): void {
    if (run.finished) return;
    this.status.setRunning(key, run.record.info.fileName, total > 0 ? Math.min(1, done / total) : 0, 'building connections');
    run.reportBuild?.(buildProgressMessage(label, done, total));
  }

  /**
   * The plan's population order, as the worker published it: the run's rows from now on. The
   * panels get the run again with them (before any of its spikes); later calls change nothing.
   */
  private publishPopulations(key: string, run: Active, populations: PopulationShape[]): void {
    if (run.record.setPopulations(populations.map((p) => ({ name: p.name, size: p.size, recorded: run.recorded.has(p.name) })))) {
      this.emit(key, { type: 'run', run: run.record.info });
    }
  }

  /** Keeps new spikes and sends them to the panels (one message; populations without new spikes left out). */
  private addSpikes(key: string, run: Active, spikes: PopulationSpikes[]): void {
    const kept: PopulationSpikes[] = [];
    for (const s of spikes) {
      const added = s.steps.length ? run.record.addSpikes(s.name, s.steps, s.neurons) : undefined;
      if (added) kept.push(added);
    }
    if (kept.length) this.emit(key, { type: 'spikes', runId: run.runId, spikes: kept });
  }

  private traceInfo(run: Active, population: string, variable: string, neurons: number[], every: number): TraceInfo {
    const existing = run.record.traces().find((t) => t.info.population === population && t.info.variable === variable);
    return existing?.info ?? { population, variable, unit: run.units.get(`${population}.${variable}`) ?? '', neurons: [...neurons], every, ...(run.connections.has(population) ? { synapses: true } : {}) };
  }

  private async fail(key: string, run: Active, doc: vscode.TextDocument, message: string): Promise<void> {
    if (run.finished) return;
    const name = run.record.info.fileName;
    this.log.error(`${name}: ${message}`);
    const block = simulateBlocks(doc.getText())[0];
    const range = block ? new vscode.Range(doc.positionAt(block.start), doc.positionAt(block.keywordEnd)) : new vscode.Range(0, 0, 0, 0);
    const d = new vscode.Diagnostic(range, plain(`run stopped: ${message}`), vscode.DiagnosticSeverity.Error);
    d.source = 'spikeworks run';
    this.diagnostics.set(doc.uri, [d]);
    void this.notify.error(`Spikeworks: ${name}: ${message}`);
    await this.end(run, 'failed', message);
  }

  private async end(run: Active, status: 'done' | 'cancelled' | 'failed', message?: string): Promise<void> {
    if (run.finished) return;
    run.finished = true;
    const key = run.record.info.document;
    if (this.active.get(key) === run) this.active.delete(key);
    if (status === 'cancelled' && run.handle) void run.handle.terminate().catch(() => {});
    const r = run.record;
    r.status = status;
    r.message = message;
    const stoppedIn = run.stopAt !== undefined ? ` (stopped ${Math.round(performance.now() - run.stopAt)} ms after the request)` : '';
    if (status === 'cancelled') this.log.info(`${r.info.fileName}: cancelled at step ${r.stepsDone}${stoppedIn}`);
    this.emit(key, { type: 'status', runId: r.info.runId, status, stepsDone: r.stepsDone, message, ...(r.readouts ? { readouts: r.readouts } : {}) });
    this.status.setIdle(key, `${r.info.fileName} — ${status}, ${r.spikeCount().toLocaleString('en-US')} spikes`);
    run.finish();
    this.changed.fire();
    try {
      saveRun(runDir(this.storageRoot, key), r);
    } catch (e) {
      this.log.warn(`could not keep the results for reload: ${(e as Error).message}`);
    }
  }

  private emit(document: string, message: RunMessage): void {
    this.emitter.fire({ document, message });
  }

  private async waitForTrust(name: string, files: string[]): Promise<boolean> {
    const granted = new Promise<boolean>((res) => {
      const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => {
        sub.dispose();
        res(true);
      });
    });
    const ask = this.notify
      .warn(`${name} reads data files (${files.join(', ')}): data files are read once the workspace is trusted, and the model runs then.`, 'Manage Workspace Trust', 'Cancel')
      .then((pick) => {
        if (pick === 'Manage Workspace Trust') {
          void vscode.commands.executeCommand('workbench.trust.manage');
          return granted;
        }
        return false;
      });
    return Promise.race([granted, ask]);
  }

  dispose(): void {
    for (const run of this.active.values()) void run.handle?.terminate();
    this.active.clear();
    this.emitter.dispose();
    this.changed.dispose();
    this.diagnostics.dispose();
  }
}

function fmtTime(s: number): string {
  return s >= 1 ? `${s} s` : s >= 1e-3 ? `${+(s * 1e3).toPrecision(6)} ms` : `${+(s * 1e6).toPrecision(6)} µs`;
}
