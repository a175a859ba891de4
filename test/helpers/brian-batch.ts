// Brian2 mirror scripts run in one background Python process (test/engine/brian2/batch.py):
// Brian2's import is paid once, and each result can be read while the next script runs and
// while the test computes our side. Jobs run in the order given; `result(name, seed)` waits for
// one, failing with the script's traceback, when the process ends without it, or when the job
// runs longer than its time limit (the process is then ended, and a new one runs the jobs that
// had not started: only the slow job fails).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './build';

const PY = '/usr/bin/python3';

interface Job {
  promise: Promise<string>;
  resolve: (file: string) => void;
  reject: (e: Error) => void;
  timeoutMs: number;
  timer?: NodeJS.Timeout;
  started?: boolean;
  settled?: boolean;
}

export class BrianBatch {
  private child?: ChildProcess;
  private stopped = false;
  /** Set when a job ran past its limit and the process was ended for it: the rest run in a new one. */
  private restart = false;
  private jobs = new Map<string, Job>();
  private stderr = '';
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-b2-batch-'));

  /**
   * `list`: [name, seed, time limit in ms] in the order the scripts are to run; `script`: the
   * driver (another one that speaks its protocol in the tests of this class).
   */
  constructor(
    private readonly list: [string, number, number][],
    private readonly script = path.join(repoRoot, 'test/engine/brian2/batch.py'),
  ) {
    for (const [name, seed, timeoutMs] of list) {
      let resolve!: (file: string) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {}); // a job nobody asks for may fail unobserved
      this.jobs.set(`${name}:${seed}`, { promise, resolve, reject, timeoutMs });
    }
  }

  /** The JSON file the mirror `name` wrote for `seed` (starts the process on first use). */
  result(name: string, seed = 1): Promise<string> {
    const job = this.jobs.get(`${name}:${seed}`);
    if (!job) throw new Error(`${name}:${seed} is not in this file's Brian2 batch`);
    if (!this.child && !this.stopped) this.start(this.list.map(([n, s]) => `${n}:${s}`));
    return job.promise;
  }

  private start(keys: string[]): void {
    const child = spawn(PY, [this.script, '--out-dir', this.dir, ...keys], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.restart = false;
    child.stderr!.on('data', (d) => (this.stderr = (this.stderr + d).slice(-20_000)));
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        this.line(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    child.on('error', (e) => (this.stderr += `\ncould not start ${PY}: ${e.message}\n`));
    child.on('close', (code, signal) => {
      const ended = `the batch process ended (exit ${code ?? signal})`;
      const waiting = [...this.jobs].filter(([, job]) => !job.settled);
      for (const [key, job] of waiting) if (job.started) this.settle(job, new Error(`Brian2 ${key}: ${ended} while it ran:\n${this.stderr.slice(-2000)}`));
      const rest = waiting.filter(([, job]) => !job.started).map(([key]) => key);
      if (this.restart && !this.stopped && rest.length) this.start(rest);
      else for (const key of rest) this.settle(this.jobs.get(key)!, new Error(`Brian2 ${key}: ${ended} before it:\n${this.stderr.slice(-2000)}`));
    });
  }

  private line(text: string): void {
    const [what, name, seed, ...said] = text.trim().split(' ');
    const key = `${name}:${seed}`;
    const job = this.jobs.get(key);
    if (!job || job.settled) return;
    if (what === 'start') {
      job.started = true;
      job.timer = setTimeout(() => {
        this.settle(job, new Error(`Brian2 ${key} ran longer than ${job.timeoutMs} ms:\n${this.stderr.slice(-2000)}`));
        this.restart = true;
        this.child?.kill('SIGKILL');
      }, job.timeoutMs);
      return;
    }
    this.settle(job, what === 'ok' ? path.join(this.dir, `${name}-${seed}.json`) : new Error(`Brian2 ${key} failed:\n${traceback(said.join(' '))}`));
  }

  /** Resolves a job with its file or rejects it with an error, once. */
  private settle(job: Job, outcome: string | Error): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (typeof outcome === 'string') job.resolve(outcome);
    else job.reject(outcome);
  }

  /** Ends the process (jobs not done fail) and removes its files. */
  stop(): void {
    this.stopped = true;
    this.child?.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The traceback a `failed` line carries (a JSON string), the last 2000 characters. */
function traceback(json: string): string {
  try {
    return String(JSON.parse(json)).slice(-2000);
  } catch {
    return json;
  }
}
