// `npm run bench:playground`: the playground's budgets (issue 20), measured in headless Chromium
// (Debian's /usr/bin/chromium) on the minified build of scripts/build-playground.mjs served from
// 127.0.0.1:
//   load_ms       navigation start → the model is in an editable editor and checked (the first
//                 diagnostics from the worker's language server): budget 3,000 ms (median of 3 loads)
//   gzip_bytes    what a first load transfers, every file gzipped (-9): budget 2 MB
//   keystroke_ms  a keystroke in a 2,000-line model (bench/model-gen.ts) → its markers updated
//                 (diagnostics for the new version): budget 150 ms (median and max of 30 keystrokes,
//                 one every 200 ms, after 3 warm-up keystrokes that are reported apart)
// Prints the figures and their ratios to the budgets, then one JSON line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
// @ts-expect-error: plain .mjs modules (no declarations)
import { buildPlayground, playgroundDist } from '../scripts/build-playground.mjs';
// @ts-expect-error: plain .mjs module (no declarations)
import { serveStatic } from '../scripts/serve-playground.mjs';
import { generateModel } from './model-gen';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--enable-unsafe-webgpu'];
const BUDGET = { load_ms: 3000, gzip_bytes: 2_000_000, keystroke_ms: 150 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function until(page: Page, expr: string, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(expr).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  await buildPlayground();
  const { server, url } = await serveStatic(playgroundDist, 0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    // Load: a fresh context each time (nothing cached), the service worker off (it would only add its own precache).
    const loads: number[] = [];
    const marks: Record<string, number>[] = [];
    let files = new Set<string>();
    for (let k = 0; k < 3; k++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const seen = new Set<string>();
      page.on('request', (r) => seen.add(new URL(r.url()).pathname));
      await page.goto(`${url}?no-sw`);
      await until(page, 'window.spikeworksPlayground && window.spikeworksPlayground.firstCheckMs !== undefined');
      loads.push((await page.evaluate('window.spikeworksPlayground.firstCheckMs')) as number);
      marks.push((await page.evaluate(`Object.fromEntries([...performance.getEntriesByType('navigation').map((n) => ['html', Math.round(n.responseEnd)]), ...performance.getEntriesByType('resource').filter((r) => /app\\.js$/.test(r.name)).map((r) => ['app.js loaded', Math.round(r.responseEnd)]), ...performance.getEntriesByType('mark').filter((m) => m.name.startsWith('spikeworks:')).map((m) => [m.name.slice(11), Math.round(m.startTime)])])`)) as Record<string, number>);
      // Everything the first load asks for, including the panels' frames and the workers.
      await page.waitForTimeout(500);
      files = seen;
      await context.close();
    }
    let gzip = 0;
    let raw = 0;
    const sizes: [string, number][] = [];
    for (const f of files) {
      const path = join(playgroundDist, f === '/' ? 'index.html' : f.slice(1));
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      const gz = gzipSync(bytes, { level: 9 }).length;
      gzip += gz;
      raw += bytes.length;
      sizes.push([f, gz]);
    }
    sizes.sort((a, b) => b[1] - a[1]);

    // Keystrokes in a 2,000-line model.
    const page = await browser.newPage();
    await page.goto(`${url}?no-sw`);
    await until(page, 'window.spikeworksPlayground && window.spikeworksPlayground.firstCheckMs !== undefined');
    const model = generateModel(2000);
    await page.evaluate((t) => (window as unknown as { spikeworksPlayground: { openModel(n: string, t: string): void } }).spikeworksPlayground.openModel('bench_2000.snn', t), model.text);
    await until(page, 'window.spikeworksPlayground.lastDiagnostics && window.spikeworksPlayground.lastDiagnostics.uri === window.spikeworksPlayground.model.uri.toString()');
    const lines = (await page.evaluate('window.spikeworksPlayground.model.getLineCount()')) as number;
    // The editor settles first (semantic tokens, inlay hints of the new model), as before a user types.
    await page.waitForTimeout(3000);
    const keystrokes: number[] = [];
    for (let k = 0; k < 33; k++) {
      // Type at the end of a line in the middle of the model, or delete what was typed.
      const ms = (await page.evaluate(async ([line, typing]) => {
        const p = (window as unknown as { spikeworksPlayground: { editor: { setPosition(p: unknown): void; trigger(s: string, h: string, a: unknown): void }; model: { getVersionId(): number; getLineMaxColumn(l: number): number }; lastDiagnostics?: { version?: number; at: number } } }).spikeworksPlayground;
        p.editor.setPosition({ lineNumber: line, column: p.model.getLineMaxColumn(line) });
        const t = performance.now();
        if (typing) p.editor.trigger('keyboard', 'type', { text: ' ' });
        else p.editor.trigger('keyboard', 'deleteLeft', null);
        const v = p.model.getVersionId();
        for (;;) {
          const d = p.lastDiagnostics;
          if (d && d.version === v && d.at >= t) return d.at - t;
          await new Promise((r) => setTimeout(r, 1));
        }
      }, [Math.floor(lines / 2), k % 2 === 0] as const)) as number;
      keystrokes.push(ms);
      // About typing speed: a keystroke every 200 ms.
      await page.waitForTimeout(200);
    }
    // The first 3 keystrokes warm the server's incremental path up (JIT): reported, not counted.
    const warmup = keystrokes.splice(0, 3);
    const result = {
      bench: 'playground',
      load_ms: Math.round(median(loads)),
      loads_ms: loads.map(Math.round),
      load_marks_ms: marks,
      gzip_bytes: gzip,
      raw_bytes: raw,
      files: sizes.length,
      keystroke_model_lines: lines,
      keystroke_median_ms: Math.round(median(keystrokes)),
      keystroke_max_ms: Math.round(Math.max(...keystrokes)),
      keystrokes_ms: keystrokes.map(Math.round),
      keystroke_warmup_ms: warmup.map(Math.round),
    };
    console.log(`load → editable, checked model: ${result.load_ms} ms median (${result.loads_ms.join(', ')}); budget ${BUDGET.load_ms} ms → ${(result.load_ms / BUDGET.load_ms).toFixed(2)} of it`);
    console.log(`  where the time goes (ms from navigation start; last load): ${Object.entries(marks[marks.length - 1]).map(([k, v]) => `${k} ${v}`).join(' → ')}`);
    console.log(`transferred: ${(gzip / 1e6).toFixed(2)} MB gzipped (${(raw / 1e6).toFixed(2)} MB raw) in ${sizes.length} files; budget 2 MB → ${(gzip / BUDGET.gzip_bytes).toFixed(2)} of it`);
    for (const [f, gz] of sizes.slice(0, 6)) console.log(`  ${f}: ${(gz / 1e3).toFixed(0)} kB gzipped`);
    console.log(`keystroke → markers (${lines}-line model): ${result.keystroke_median_ms} ms median, ${result.keystroke_max_ms} ms max of ${keystrokes.length} (warm-up: ${result.keystroke_warmup_ms.join(', ')} ms); budget ${BUDGET.keystroke_ms} ms → ${(result.keystroke_max_ms / BUDGET.keystroke_ms).toFixed(2)} of it (max)`);
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
