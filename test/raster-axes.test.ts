// The raster's axes (issue 13, 3): neuron-index ticks per population band in the band's own
// index, time ticks at a sensible density, the cursor's label over no tick label.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Painter, TextStyle } from '../webviews/shared/painter';
import type { Theme } from '../webviews/shared/theme';
import { drawDecorations, type Geometry } from '../webviews/raster/decorations';
import { SpikeStore } from '../webviews/raster/spike-store';

const theme: Theme = {
  background: '#1e1e1e', foreground: '#cccccc', muted: '#999999', grid: '#444444', focus: '#007fd4', cursor: '#ffffff',
  selection: '#264f78', highContrast: false, series: ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700'],
};

interface Drawn { s: string; x: number; y: number; style: TextStyle }
class Recorder implements Painter {
  texts: Drawn[] = [];
  rects: { x: number; y: number; w: number; h: number }[] = [];
  rect(): void {}
  strokeRect(x: number, y: number, w: number, h: number): void { this.rects.push({ x, y, w, h }); }
  line(): void {}
  polyline(): void {}
  polygon(): void {}
  text(s: string, x: number, y: number, style: TextStyle): void { this.texts.push({ s, x, y, style }); }
  measure(s: string, size = 11): number { return s.length * size * 0.6; }
}
/** The horizontal extent of a drawn text. */
function span(p: Recorder, t: Drawn): [number, number] {
  const w = p.measure(t.s, t.style.size);
  return t.style.align === 'center' ? [t.x - w / 2, t.x + w / 2] : t.style.align === 'right' ? [t.x - w, t.x] : [t.x, t.x + w];
}

const geometry: Geometry = { width: 900, height: 500, x: 110, y: 10, w: 768, h: 460 };
const store = new SpikeStore([{ name: 'exc', size: 800 }, { name: 'inh', size: 200 }], 10_000);
const timeLabels = (r: Recorder) => r.texts.filter((t) => t.style.baseline === 'top' && t.y > geometry.y + geometry.h && /s$/.test(t.s) && t.style.align === 'center');
const indexLabels = (r: Recorder) => r.texts.filter((t) => /^\d[\d,]*$/.test(t.s) && t.style.align === 'right');

describe('raster axes', () => {
  it('neuron-index ticks in each band\'s own index, also after zooming into neurons', () => {
    const r = new Recorder();
    drawDecorations(r, geometry, { store, view: { t0: 0, t1: 10_000, r0: 0, r1: 1000 }, dt: 1e-4, theme, colors: [0, 1], cursor: null });
    const labels = indexLabels(r).map((t) => Number(t.s.replace(/,/g, '')));
    assert.ok(labels.includes(0), `index labels: ${labels.join(' ')}`);
    // inh starts at row 800: its own index restarts at 0 (two zeros), and nothing reaches 800.
    assert.equal(labels.filter((v) => v === 0).length, 2, labels.join(' '));
    assert.ok(labels.every((v) => v < 800));
    // zoomed into exc rows 300..340: labels within 300..339
    const z = new Recorder();
    drawDecorations(z, geometry, { store, view: { t0: 0, t1: 10_000, r0: 300, r1: 340 }, dt: 1e-4, theme, colors: [0, 1], cursor: null });
    const zl = indexLabels(z).map((t) => Number(t.s.replace(/,/g, '')));
    assert.ok(zl.length >= 4, `zoomed labels: ${zl.join(' ')}`);
    assert.ok(zl.every((v) => v >= 300 && v < 340), zl.join(' '));
    // labels do not overlap each other vertically
    const ys = indexLabels(z).map((t) => t.y).sort((a, b) => a - b);
    for (let k = 1; k < ys.length; k++) assert.ok(ys[k] - ys[k - 1] >= 11, `labels ${ys[k - 1]} and ${ys[k]} overlap`);
  });

  it('time ticks about every 70–100 px, labels apart, none under the cursor label', () => {
    for (const cursor of [0.2, 0.5, 0.93, 0.999]) {
      const r = new Recorder();
      drawDecorations(r, geometry, { store, view: { t0: 0, t1: 10_000, r0: 0, r1: 1000 }, dt: 1e-4, theme, colors: [0, 1], cursor });
      const ticks = timeLabels(r);
      const box = r.rects.at(-1)!; // the cursor label's frame
      const visible = ticks.filter((t) => !(span(r, t)[1] > box.x && span(r, t)[0] < box.x + box.w));
      assert.equal(visible.length, ticks.length, `cursor at ${cursor}: a tick label under the cursor label`);
      // the cursor label is drawn as text too; the tick labels are the other time texts
      assert.ok(ticks.length >= 7, `${ticks.length} time labels over 768 px (cursor ${cursor}): ${ticks.map((t) => t.s).join(' ')}`);
      const spans = ticks.map((t) => span(r, t)).sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < spans.length; k++) assert.ok(spans[k][0] >= spans[k - 1][1] + 4, 'tick labels overlap');
    }
  });
});
