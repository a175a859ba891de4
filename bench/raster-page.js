// Page side of bench/raster.ts (plain JavaScript, loaded into the page beside the panel).
/** In the page: a run of `total` spikes posted to the panel as the extension would. */
window.benchGenerate = async function generate(total) {
  const steps = 100_000;
  const pops = [{ name: 'exc', size: 16_000, share: 0.8 }, { name: 'inh', size: 4_000, share: 0.2 }];
  const run = { runId: 'bench', document: 'file:///bench.snn', fileName: 'bench.snn', model: 'bench', dt: 1e-4, steps, seed: 1, backend: 'wasm', populations: pops.map((p) => ({ name: p.name, size: p.size, recorded: true })) };
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const t0 = performance.now();
  window.postMessage({ type: 'run', run }, '*');
  pops.forEach((p, k) => {
    const count = Math.round(total * p.share);
    const S = new Int32Array(count);
    const N = new Int32Array(count);
    // Rate modulated at 5 Hz (exc) / 7 Hz (inh), plus a slow drift: a picture with structure.
    const weight = new Float64Array(steps);
    let sum = 0;
    for (let s = 0; s < steps; s++) {
      weight[s] = 1 + 0.6 * Math.sin((2 * Math.PI * s * (k ? 7 : 5)) / 10_000) + 0.3 * Math.sin((2 * Math.PI * s) / 70_000);
      sum += weight[s];
    }
    let m = 0;
    let acc = 0;
    for (let s = 0; s < steps && m < count; s++) {
      acc += (weight[s] / sum) * count;
      while (acc >= 1 && m < count) {
        S[m] = s;
        // Lower neuron indices fire more: a gradient across the band.
        N[m] = Math.min(p.size - 1, Math.floor(p.size * Math.pow(rand(), 1.4)));
        m++;
        acc -= 1;
      }
    }
    for (; m < count; m++) {
      S[m] = steps - 1;
      N[m] = Math.floor(rand() * p.size);
    }
    for (let a = 0; a < count; a += 1 << 20) {
      const b = Math.min(count, a + (1 << 20));
      window.postMessage({ type: 'spikes', runId: 'bench', spikes: [{ name: p.name, size: p.size, steps: S.slice(a, b), neurons: N.slice(a, b) }] }, '*');
    }
  });
  window.postMessage({ type: 'status', runId: 'bench', status: 'done', stepsDone: steps }, '*');
  const app = window.spikeworksRaster;
  await new Promise((res) => {
    // Loaded = the panel holds every spike and has built its grid tables and indexes.
    const poll = () => (app.store?.total === total && app.store.pendingWork() === 0 ? res() : setTimeout(poll, 20));
    poll();
  });
  app.render();
  return { total: app.store.total, ms: performance.now() - t0 };
}

/** In the page: user input, one frame each; returns the time of every frame. */
window.benchInteract = async function interact() {
  const app = window.spikeworksRaster;
  const plot = document.querySelector('.plot');
  const r = plot.getBoundingClientRect();
  const canvas = () => app.renderer.canvas;
  const gl = app.renderer.kind === 'webgl' ? canvas().getContext('webgl2') : undefined;
  const ctx = gl ? undefined : canvas().getContext('2d');
  const px = new Uint8Array(4);
  const sync = () => (gl ? gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px) : ctx.getImageData(0, 0, 1, 1));
  const times = [];
  const parts = [];
  let grid = 0;
  let exact = 0;
  const frame = async (input) => {
    const t = performance.now();
    input();
    app.render();
    sync();
    times.push(performance.now() - t);
    const lt = app.lastTimings;
    parts.push([lt.layout, lt.density, lt.draw, lt.overlay, plot.dataset.mode, app.frame?.visible ?? 0]);
    if (plot.dataset.mode === 'grid') grid++;
    else exact++;
    await new Promise((res) => requestAnimationFrame(res));
  };
  const at = (fx, fy) => ({ clientX: r.left + app.geometry.x + fx * app.geometry.w, clientY: r.top + app.geometry.y + fy * app.geometry.h });
  const wheel = (fx, fy, deltaY, shiftKey = false) => () => plot.dispatchEvent(new WheelEvent('wheel', { ...at(fx, fy), deltaY, shiftKey, bubbles: true, cancelable: true }));
  const key = (k, shiftKey = false) => () => plot.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true }));
  const drag = (fx0, fy0, fx1, fy1, n) => {
    const out = [() => plot.dispatchEvent(new MouseEvent('mousedown', { ...at(fx0, fy0), button: 0, bubbles: true }))];
    for (let i = 1; i <= n; i++) out.push(() => window.dispatchEvent(new MouseEvent('mousemove', { ...at(fx0 + ((fx1 - fx0) * i) / n, fy0 + ((fy1 - fy0) * i) / n), bubbles: true })));
    out.push(() => window.dispatchEvent(new MouseEvent('mouseup', { ...at(fx1, fy1), button: 0, bubbles: true })));
    return out;
  };
  for (let i = 0; i < 5; i++) await frame(() => {}); // full view, warm
  for (let i = 0; i < 25; i++) await frame(wheel(0.3, 0.5, -120)); // zoom into time
  for (const f of drag(0.7, 0.5, 0.2, 0.3, 15)) await frame(f); // pan both axes
  for (let i = 0; i < 15; i++) await frame(wheel(0.5, 0.4, -120, true)); // zoom into neurons
  for (let i = 0; i < 10; i++) await frame(key('ArrowRight'));
  for (let i = 0; i < 30; i++) await frame(wheel(0.6, 0.5, 150)); // zoom out in time
  for (let i = 0; i < 15; i++) await frame(wheel(0.5, 0.5, 150, true)); // zoom out in neurons
  for (const f of drag(0.2, 0.5, 0.8, 0.5, 10)) await frame(f);
  await frame(key('0'));
  return { times, grid, exact, renderer: app.renderer.kind, parts };
}

