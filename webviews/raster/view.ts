// The raster's visible window and how input changes it: zoom about a point, pan, clamp to the
// run, a history for "back". Steps and rows are fractional. Pure (tested in Node).
import type { View } from './density';

export interface Extent {
  steps: number;
  rows: number;
}

const MIN_STEPS = 10;
const MIN_ROWS = 4;

export function fullView(e: Extent): View {
  return { t0: 0, t1: Math.max(1, e.steps), r0: 0, r1: Math.max(1, e.rows) };
}

/** Keeps the window inside the run and not smaller than a few steps / rows. */
export function clampView(v: View, e: Extent): View {
  const T = Math.max(1, e.steps);
  const R = Math.max(1, e.rows);
  const fix = (a: number, b: number, max: number, min: number): [number, number] => {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return [0, max];
    let span = Math.min(max, Math.max(Math.min(min, max), b - a));
    let lo = Math.min(Math.max(0, a), max - span);
    if (lo < 0) lo = 0;
    if (lo + span > max) span = max - lo;
    return [lo, lo + span];
  };
  const [t0, t1] = fix(v.t0, v.t1, T, MIN_STEPS);
  const [r0, r1] = fix(v.r0, v.r1, R, MIN_ROWS);
  return { t0, t1, r0, r1 };
}

/** Zooms by `factor` (< 1 zooms in) about the fraction `fx` of the width / `fy` of the height. */
export function zoom(v: View, e: Extent, axis: 'time' | 'rows' | 'both', factor: number, fx = 0.5, fy = 0.5): View {
  const out = { ...v };
  if (axis !== 'rows') {
    const at = v.t0 + fx * (v.t1 - v.t0);
    out.t0 = at - (at - v.t0) * factor;
    out.t1 = at + (v.t1 - at) * factor;
  }
  if (axis !== 'time') {
    const at = v.r0 + fy * (v.r1 - v.r0);
    out.r0 = at - (at - v.r0) * factor;
    out.r1 = at + (v.r1 - at) * factor;
  }
  return clampView(out, e);
}

/** Moves by fractions of the window's width (`dx`) and height (`dy`). */
export function pan(v: View, e: Extent, dx: number, dy: number): View {
  const ts = (v.t1 - v.t0) * dx;
  const rs = (v.r1 - v.r0) * dy;
  return clampView({ t0: v.t0 + ts, t1: v.t1 + ts, r0: v.r0 + rs, r1: v.r1 + rs }, e);
}

export function sameView(a: View, b: View): boolean {
  return Math.abs(a.t0 - b.t0) < 1e-9 && Math.abs(a.t1 - b.t1) < 1e-9 && Math.abs(a.r0 - b.r0) < 1e-9 && Math.abs(a.r1 - b.r1) < 1e-9;
}
