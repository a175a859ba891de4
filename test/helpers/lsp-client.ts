// A small LSP client over stdio for tests and benchmarks: spawns `node dist/server.js --stdio`,
// frames JSON-RPC messages (Content-Length headers), answers the server's own requests
// (configuration, capability registration), records notifications, and puts a time limit on
// every wait. It never leaves the server running: `close()` shuts it down and kills it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { distServer, repoRoot } from './build';

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface LspDiagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  message: string;
  source?: string;
  data?: unknown;
}
export interface PublishDiagnostics {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

export class ResponseError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
  }
}

export class TimeoutError extends Error {}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  method: string;
  pred: (params: any) => boolean;
  resolve: (params: any) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface StartOptions {
  /** Extra settings returned for workspace/configuration requests. */
  settings?: Record<string, unknown>;
  /** Keep every notification (default: only diagnostics and log messages). */
  keepAll?: boolean;
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  private buf: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private waiters: Waiter[] = [];
  /** Every publishDiagnostics, in arrival order. */
  readonly published: PublishDiagnostics[] = [];
  /** window/logMessage and window/showMessage notifications. */
  readonly logs: { type: number; message: string }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  stderr = '';
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  exited = false;
  /** Protocol problems seen on the wire (bad framing, unknown response ids...). */
  readonly protocolErrors: string[] = [];
  private settings: Record<string, unknown>;
  private keepAll: boolean;

  constructor(opts: StartOptions = {}) {
    this.settings = opts.settings ?? {};
    this.keepAll = !!opts.keepAll;
    this.proc = spawn(process.execPath, [distServer, '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString('utf8');
      if (this.stderr.length > 1e6) this.stderr = this.stderr.slice(-5e5);
    });
    this.proc.stdin.on('error', () => undefined); // EPIPE after the server died: reported via exit
    this.proc.on('exit', (code, signal) => {
      this.exited = true;
      this.exitCode = code;
      this.exitSignal = signal;
      const err = new Error(`server exited (code ${code}, signal ${signal})\n${this.stderr.slice(-2000)}`);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(err);
      }
      this.pending.clear();
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(err);
      }
      this.waiters = [];
    });
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length:\s*(\d+)/i.exec(header);
      if (!m) {
        this.protocolErrors.push(`header without Content-Length: ${JSON.stringify(header)}`);
        this.buf = this.buf.subarray(headerEnd + 4);
        continue;
      }
      const len = Number(m[1]);
      if (this.buf.length < headerEnd + 4 + len) return;
      const body = this.buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(headerEnd + 4 + len);
      let msg: any;
      try {
        msg = JSON.parse(body);
      } catch {
        this.protocolErrors.push(`unparseable message: ${body.slice(0, 200)}`);
        continue;
      }
      this.dispatch(msg);
    }
  }

  private dispatch(msg: any): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (!p) {
        this.protocolErrors.push(`response to unknown id ${msg.id}`);
        return;
      }
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new ResponseError(msg.error.code, msg.error.message, msg.error.data));
      else p.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined) {
      // A request from the server.
      let result: unknown = null;
      if (msg.method === 'workspace/configuration') {
        result = (msg.params?.items ?? []).map((it: { section?: string }) => (it.section === 'spikeworks' ? this.settings : null));
      }
      this.write({ jsonrpc: '2.0', id: msg.id, result });
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') this.published.push(msg.params);
    else if (msg.method === 'window/logMessage' || msg.method === 'window/showMessage') this.logs.push(msg.params);
    if (this.keepAll) this.notifications.push({ method: msg.method, params: msg.params });
    for (const w of [...this.waiters]) {
      if (w.method === msg.method && w.pred(msg.params)) {
        clearTimeout(w.timer);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(msg.params);
      }
    }
  }

  private write(msg: unknown): void {
    if (this.exited) throw new Error(`server has exited (code ${this.exitCode}, signal ${this.exitSignal})`);
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request<T = any>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError(`${method} (id ${id}) got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        this.write({ jsonrpc: '2.0', id, method, params });
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e as Error);
      }
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first notification `method` (from now on) whose params satisfy `pred`. */
  waitFor<T = any>(method: string, pred: (params: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.exited) {
        reject(new Error('server has exited'));
        return;
      }
      const w: Waiter = {
        method, pred, resolve, reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          reject(new TimeoutError(`no ${method} notification in ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  /** Waits for diagnostics of `uri` (of `version`, when given) published after this call. */
  waitForDiagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishDiagnostics> {
    return this.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && (version === undefined || p.version === version), timeoutMs);
  }

  async initialize(rootUri: string | null, opts: { configuration?: boolean; initializationOptions?: unknown } = {}): Promise<any> {
    const result = await this.request('initialize', {
      processId: process.pid,
      ...(opts.initializationOptions !== undefined ? { initializationOptions: opts.initializationOptions } : {}),
      clientInfo: { name: 'spikeworks-tests' },
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'workspace' }] : null,
      capabilities: {
        workspace: { configuration: !!opts.configuration, workspaceFolders: true },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
          inlayHint: {},
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
      },
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'snn', version, text } });
  }

  change(uri: string, version: number, changes: ({ text: string } | { range: Range; text: string })[]): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  closeDoc(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Orderly shutdown, then kill whatever is left. Never throws. */
  async close(timeoutMs = 3000): Promise<void> {
    if (!this.exited) {
      try {
        await this.request('shutdown', null, timeoutMs);
        this.notify('exit', null);
      } catch {
        /* killed below */
      }
      await new Promise<void>((resolve) => {
        if (this.exited) return resolve();
        const t = setTimeout(() => {
          this.proc.kill('SIGKILL');
          resolve();
        }, timeoutMs);
        this.proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    for (const p of this.pending.values()) clearTimeout(p.timer);
    for (const w of this.waiters) clearTimeout(w.timer);
    this.pending.clear();
    this.waiters = [];
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

/** Offsets ↔ LSP positions for a text (UTF-16, as the server counts). */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let last = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i + 1;
  }
  return { line, character: offset - last };
}

export function offsetAt(text: string, p: Position): number {
  let off = 0;
  for (let l = 0; l < p.line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  const nl = text.indexOf('\n', off);
  const end = nl < 0 ? text.length : nl;
  return Math.min(off + p.character, end);
}

/** Range of the `n`th (1-based) occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, n = 1): Range {
  let k = -1;
  for (let i = 0; i < n; i++) {
    k = text.indexOf(needle, k + 1);
    if (k < 0) throw new Error(`'${needle}' (#${n}) not in text`);
  }
  return { start: positionAt(text, k), end: positionAt(text, k + needle.length) };
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ s: offsetAt(text, e.range.start), e: offsetAt(text, e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const x of sorted) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}
