// How `npm test` (scripts/run-tests.mjs) orders its files and sums up what they said: which
// files run alone (they time themselves), the longest-first order of the others, the counts in
// each file's spec-reporter summary, and the closing report (totals, slowest files, failures).
// Plain ESM JavaScript: it runs before any build.

/**
 * Files that assert on wall-clock time (a stop within N ms, timer ticks in a window, a time
 * budget) or kill a child after a bound: they run one at a time with nothing beside them, so
 * that another file's load cannot make them fail.
 */
export const ALONE = [
  'test/circuits-cli.test.ts', // Ctrl-C while the analysis runs: exit 130 within seconds
  'test/cli-run.test.ts', // stops within 2.5 s of Ctrl-C, a run under 10 s
  'test/emulate-worker.test.ts', // timer ticks while the worker computes
  'test/engine-hardening.test.ts', // stops within 500 ms of a cancel
  'test/e2e/simulation.e2e.test.ts', // the worker stops within 1 s of Cancel, in a workbench
  'test/engine.test.ts', // stops within 1 s
  'test/fuzz-hostile.test.ts', // every case killed after its time bound
  'test/fuzz.test.ts', // every case has a time bound
  'test/index-rule.test.ts', // refused within 1 s
  'test/panel-scale.test.ts', // statistics of a large run within 250–500 ms
  'test/panels.test.ts', // terminate within 200 ms
  'test/run-store.test.ts', // a load within 500 ms
  'test/summary-cv.test.ts', // within 1 s
  'test/sweep.test.ts', // Ctrl-C of a sweep
];

/**
 * Seconds each long file took in a clean-clone run on a 2-core machine (2026-12-06, one file at
 * a time): only the order uses them (longest first, so that two lanes end together). A file not
 * listed counts as short.
 */
export const EXPECTED_SECONDS = {
  'test/brian2.test.ts': 237,
  'test/playground-page.test.ts': 135,
  'test/interop-brian2.test.ts': 120,
  'test/network.test.ts': 109,
  'test/e2e/install.e2e.test.ts': 96,
  'test/webgpu.test.ts': 73,
  'test/e2e/simulation.e2e.test.ts': 66,
  'test/incremental.test.ts': 33,
  'test/e2e/onboarding.e2e.test.ts': 32,
  'test/interop-pynn.test.ts': 31,
  'test/e2e/vscode.e2e.test.ts': 30,
  'test/e2e/trust.e2e.test.ts': 23,
  'test/digests.test.ts': 22,
  'test/targets-memristor.test.ts': 22,
  'test/panel-browser.test.ts': 15,
  'test/circuits-panel-browser.test.ts': 14,
  'test/raster-marks-browser.test.ts': 12,
  'test/package.test.ts': 12,
};
const SHORT_SECONDS = 3;

/**
 * Files of one kind that never run beside each other: each end-to-end file drives its own
 * code-server, extension host and Chromium, the heaviest pair the machine could get.
 */
export function exclusiveKind(file) {
  return file.startsWith('test/e2e/') ? 'code-server' : undefined;
}

/** Whether `file` may start while `running` run (none of its exclusive kind among them). */
export function canStart(file, running) {
  const kind = exclusiveKind(file);
  return kind === undefined || !running.some((r) => exclusiveKind(r) === kind);
}

/** The files to run side by side (longest first, ties by name) and those to run alone (by name). */
export function plan(files) {
  const alone = new Set(ALONE);
  const expected = (f) => EXPECTED_SECONDS[f] ?? SHORT_SECONDS;
  const pooled = files.filter((f) => !alone.has(f)).sort((a, b) => expected(b) - expected(a) || a.localeCompare(b));
  return { pooled, alone: files.filter((f) => alone.has(f)).sort() };
}

const COUNTS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'];

/** The counts of a spec-reporter summary ("ℹ tests 12" …), or undefined when the file printed none (it crashed). */
export function parseSummary(output) {
  const found = {};
  for (const line of output.split('\n')) {
    const m = /^ℹ (\w+) (\d+)\s*$/.exec(line);
    if (m && COUNTS.includes(m[1])) found[m[1]] = Number(m[2]);
  }
  return 'tests' in found && 'fail' in found ? Object.fromEntries(COUNTS.map((k) => [k, found[k] ?? 0])) : undefined;
}

/**
 * The closing report: totals over the files, the wall time, the `top` slowest files and every
 * failed one (a nonzero exit, or failed or cancelled tests). `ok` when none failed.
 */
export function formatReport(results, wallSeconds, top = 15) {
  const total = Object.fromEntries(COUNTS.map((k) => [k, 0]));
  for (const r of results) for (const k of COUNTS) total[k] += r.summary?.[k] ?? 0;
  // No summary with exit 0: the file ran under another --test-reporter (its own output says how it went).
  const failed = results.filter((r) => r.code !== 0 || (r.summary && (r.summary.fail > 0 || r.summary.cancelled > 0)));
  const slow = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, top);
  const busy = results.reduce((s, r) => s + r.seconds, 0);
  const lines = [
    '',
    `> ${results.length} test files in ${wallSeconds.toFixed(1)} s (${busy.toFixed(1)} s of file time)`,
    ...COUNTS.map((k) => `ℹ ${k} ${total[k]}`),
    `slowest ${slow.length} files:`,
    ...slow.map((r) => `  ${r.seconds.toFixed(1).padStart(7)} s  ${r.file}`),
  ];
  if (failed.length) {
    lines.push(`✖ ${failed.length} file${failed.length === 1 ? '' : 's'} failed:`);
    for (const r of failed) lines.push(`  ${r.file}: ${r.summary ? `${r.summary.fail} failed, ${r.summary.cancelled} cancelled` : r.silent ? 'no output at all (node --test ends so, exit 1, when it is sent SIGTERM or SIGINT: from outside this run)' : 'no test summary (the process ended early)'}, exit ${r.signal ?? r.code}`);
  }
  return { ok: failed.length === 0, text: lines.join('\n') };
}
