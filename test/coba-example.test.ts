// A newcomer's first run (issue 13): examples/coba.snn as shipped — its own seed, duration and
// backend choice (WASM in the CLI) — must show the activity its header promises, not the silent
// state of the bistable network (seed 42 settled at 0.24 Hz: an empty raster).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';

const COBA = path.join(repoRoot, 'examples', 'coba.snn');

/** The "Expect ~LO-HI Hz" range the header comment promises. */
function promisedRange(text: string): [number, number] {
  const header = text.split('\n').filter((l) => l.startsWith('//')).join(' ');
  const m = /Expect ~?(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?) Hz/.exec(header);
  assert.ok(m, 'the header states the expected rate range ("Expect ~LO-HI Hz")');
  return [Number(m[1]), Number(m[2])];
}

describe('examples/coba.snn as shipped', () => {
  it('runs at the rate its header promises (the excitatory mean rate is inside the range)', () => {
    ensureBuilt();
    const [lo, hi] = promisedRange(fs.readFileSync(COBA, 'utf8'));
    const r = spawnSync(process.execPath, [distCli, 'run', COBA, '--format', 'json'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { populations: { name: string; rate_hz: number }[]; sim_s: number };
    assert.equal(summary.sim_s, 1, 'the whole duration the file gives');
    const exc = summary.populations.find((p) => p.name === 'exc');
    assert.ok(exc, 'an exc population');
    assert.ok(exc.rate_hz >= lo && exc.rate_hz <= hi, `exc rate ${exc.rate_hz.toFixed(2)} Hz is outside the header's ${lo}-${hi} Hz`);
  });
});
