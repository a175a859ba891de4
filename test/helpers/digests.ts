// The result digests' models and how a digest is taken (test/digests.test.ts pins them; the
// partitioned engine's test, test/partition-digests.test.ts, runs the same models on 2 and 3
// workers against the same digests). Not a test file itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distCli, repoRoot } from './build';

/** Model (relative to the repo) → --duration in seconds. */
export const MODELS: [string, number][] = [
  ...fs.readdirSync(path.join(repoRoot, 'examples')).filter((f) => f.endsWith('.snn')).sort().map((f): [string, number] => [`examples/${f}`, f === 'lsm_astro_stdp.snn' ? 2 : f === 'sfq_xor.snn' ? 16e-9 : 0.3]),
  ['bench/models/microcircuit_10pct.snn', 0.02],
  ...fs.readdirSync(path.join(repoRoot, 'test/engine')).filter((f) => f.endsWith('.snn')).sort().map((f): [string, number] => [`test/engine/${f}`, 0.3]),
  ['test/digests/inputs_rules.snn', 0.3],
];

export const DIGESTS = path.join(repoRoot, 'test', 'digests.json');

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** File name → SHA-256 of each result file (summary.json has timings: not compared). */
export function runDigests(model: string, duration: number, extra: string[] = []): Record<string, string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-digest-'));
  try {
    const r = spawnSync(process.execPath, [distCli, 'run', model, '--out', out, '--duration', String(duration), '--backend', 'wasm', '--format', 'json', '--csv', ...extra], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${model}: exit ${r.status}\n${r.stderr}`);
    const files = fs.readdirSync(out).filter((f) => f !== 'summary.json').sort();
    return Object.fromEntries(files.map((f) => [f, sha256(path.join(out, f))]));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

