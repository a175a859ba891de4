// How `npm test` schedules its files (scripts/test-schedule.mjs): the files that time themselves
// run alone and exist under those names, the others run longest first, a file's spec-reporter
// summary is read back, and the closing report counts a crash, a failed test and a nonzero exit
// as failures.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: plain .mjs module (no declarations)
import { ALONE, canStart, EXPECTED_SECONDS, formatReport, parseSummary, plan } from '../scripts/test-schedule.mjs';
import { repoRoot } from './helpers/build';

type Summary = Record<string, number> | undefined;
type Result = { file: string; code: number; signal: string | null; seconds: number; summary: Summary; silent?: boolean };

describe('npm test: the schedule of the test files', () => {
  it('every file named in the schedule exists (a rename would drop it from "alone" silently)', () => {
    for (const f of [...(ALONE as string[]), ...Object.keys(EXPECTED_SECONDS as Record<string, number>)]) assert.ok(existsSync(join(repoRoot, f)), `${f} is named in scripts/test-schedule.mjs but does not exist`);
  });

  it('the self-timing files run alone; the others longest first, then by name', () => {
    const files = ['test/a.test.ts', 'test/brian2.test.ts', 'test/cli-run.test.ts', 'test/b.test.ts', 'test/network.test.ts', 'test/engine.test.ts'];
    const { pooled, alone } = plan(files) as { pooled: string[]; alone: string[] };
    assert.deepEqual(alone, ['test/cli-run.test.ts', 'test/engine.test.ts']);
    assert.deepEqual(pooled, ['test/brian2.test.ts', 'test/network.test.ts', 'test/a.test.ts', 'test/b.test.ts']);
  });

  it('two end-to-end files (each its own code-server and Chromium) never run side by side; anything else may', () => {
    const e2e = 'test/e2e/onboarding.e2e.test.ts';
    assert.equal(canStart(e2e, []), true);
    assert.equal(canStart(e2e, ['test/brian2.test.ts']), true);
    assert.equal(canStart(e2e, ['test/e2e/vscode.e2e.test.ts']), false);
    assert.equal(canStart('test/brian2.test.ts', ['test/e2e/vscode.e2e.test.ts']), true);
    assert.equal(canStart('test/network.test.ts', ['test/brian2.test.ts']), true);
  });

  it('reads the counts of a spec-reporter summary, and none from a file that printed none', () => {
    const out = ['▶ x', '  ✔ y (1.2ms)', 'ℹ tests 7', 'ℹ suites 2', 'ℹ pass 5', 'ℹ fail 1', 'ℹ cancelled 1', 'ℹ skipped 0', 'ℹ todo 0', 'ℹ duration_ms 12.5'].join('\n');
    assert.deepEqual(parseSummary(out), { tests: 7, suites: 2, pass: 5, fail: 1, cancelled: 1, skipped: 0, todo: 0 });
    assert.equal(parseSummary('Error: Cannot find module\n    at x'), undefined);
    // A test's own output that looks like a count but is not at the start of a line is not read.
    assert.equal(parseSummary('  ℹ tests 3\n  ℹ fail 0'), undefined);
  });

  it('the report sums the files, lists the slowest, and fails on a failed test, a crash or a nonzero exit', () => {
    const ok = (file: string, seconds: number, tests = 2): Result => ({ file, code: 0, signal: null, seconds, summary: { tests, suites: 1, pass: tests, fail: 0, cancelled: 0, skipped: 0, todo: 0 } });
    const good = formatReport([ok('test/a.test.ts', 5), ok('test/b.test.ts', 50, 3)], 40, 1) as { ok: boolean; text: string };
    assert.equal(good.ok, true);
    assert.match(good.text, /2 test files in 40\.0 s \(55\.0 s of file time\)/);
    assert.match(good.text, /^ℹ tests 5$/m);
    assert.match(good.text, /slowest 1 files:\n\s+50\.0 s {2}test\/b\.test\.ts$/m);
    assert.doesNotMatch(good.text, /failed/);

    const failedTest: Result = { ...ok('test/c.test.ts', 1), code: 1, summary: { tests: 2, suites: 1, pass: 1, fail: 1, cancelled: 0, skipped: 0, todo: 0 } };
    const crashed: Result = { file: 'test/d.test.ts', code: 1, signal: null, seconds: 1, summary: undefined };
    const exitOnly: Result = { ...ok('test/e.test.ts', 1), code: 7 };
    const killed: Result = { ...ok('test/f.test.ts', 1), code: 1, signal: 'SIGKILL', summary: undefined };
    const bad = formatReport([ok('test/a.test.ts', 5), failedTest, crashed, exitOnly, killed], 10) as { ok: boolean; text: string };
    assert.equal(bad.ok, false);
    assert.match(bad.text, /✖ 4 files failed:/);
    assert.match(bad.text, /test\/c\.test\.ts: 1 failed, 0 cancelled, exit 1/);
    assert.match(bad.text, /test\/d\.test\.ts: no test summary \(the process ended early\), exit 1/);
    assert.match(bad.text, /test\/e\.test\.ts: 0 failed, 0 cancelled, exit 7/);
    assert.match(bad.text, /test\/f\.test\.ts: no test summary \(the process ended early\), exit SIGKILL/);
    assert.doesNotMatch(bad.text, /test\/a\.test\.ts:/);
    // Exit 1 and not a byte of output: what node --test does when it is sent SIGTERM or SIGINT.
    const silent = formatReport([{ file: 'test/h.test.ts', code: 1, signal: null, seconds: 1, summary: undefined, silent: true }], 1) as { ok: boolean; text: string };
    assert.equal(silent.ok, false);
    assert.match(silent.text, /test\/h\.test\.ts: no output at all \(node --test ends so, exit 1, when it is sent SIGTERM or SIGINT: from outside this run\), exit 1/);
    // Exit 0 without a spec summary: run under another --test-reporter; its exit code decides.
    assert.equal((formatReport([{ file: 'test/g.test.ts', code: 0, signal: null, seconds: 1, summary: undefined }], 1) as { ok: boolean }).ok, true);
  });
});
