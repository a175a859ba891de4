// Draws the extension's icon, media/icon.png (128×128 RGBA): a dark rounded square with a small
// spike raster (dots in two colour bands, excitatory and inhibitory, as the raster panel draws
// them) under a membrane-potential trace that spikes. No image library: the pixels are computed
// here (4× supersampled) and written as a PNG with zlib. `node scripts/make-icon.mjs [out.png]`.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4; // samples per pixel per axis

const BG_TOP = [0x1d, 0x23, 0x3a];
const BG_BOTTOM = [0x10, 0x14, 0x24];
const EXC = [0x4f, 0xc3, 0xf7];
const INH = [0xff, 0x8a, 0x65];
const TRACE = [0xf5, 0xf7, 0xfa];

/** Deterministic pseudo-random numbers (the raster looks the same on every run). */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Spike dots: [x, y, radius, colour]. Rows 74..118, excitatory rows above inhibitory ones. */
function rasterDots() {
  const r = rng(7);
  const dots = [];
  const rows = 8;
  for (let row = 0; row < rows; row++) {
    const y = 74 + row * 6.2;
    const colour = row < 6 ? EXC : INH;
    let x = 18 + r() * 12;
    while (x < 110) {
      dots.push([x, y, 1.9, colour]);
      // A population burst near x≈64 (denser there), sparse elsewhere.
      const burst = Math.exp(-(((x - 64) / 9) ** 2));
      x += 7 + r() * 18 * (1 - 0.75 * burst);
    }
  }
  return dots;
}

/** A membrane potential: slow rises, a spike at each of SPIKES, reset below. Polyline points. */
function tracePoints() {
  const spikes = [38, 64, 90];
  const pts = [];
  const base = 54;
  const reset = 58;
  for (let x = 14; x <= 114; x += 0.5) {
    let y;
    const s = spikes.find((t) => x >= t && x < t + 3);
    if (s !== undefined) {
      // Upstroke to the peak and back down to the reset.
      const u = (x - s) / 3;
      y = u < 0.4 ? 44 - (u / 0.4) * 28 : 16 + ((u - 0.4) / 0.6) * (reset - 16);
    } else {
      const prev = [...spikes].reverse().find((t) => t + 3 <= x);
      const start = prev === undefined ? 14 : prev + 3;
      const next = spikes.find((t) => t > x) ?? 130;
      const u = Math.min(1, (x - start) / Math.max(1, next - start));
      const from = prev === undefined ? base : reset;
      y = from + (44 - from) * (1 - Math.exp(-3 * u)) / (1 - Math.exp(-3));
    }
    pts.push([x, y]);
  }
  return pts;
}

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Inside the rounded square (corner radius 24)? */
function inRoundedSquare(x, y) {
  const r = 24;
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

export function drawIcon() {
  const dots = rasterDots();
  const trace = tracePoints();
  const segs = trace.slice(1).map((p, i) => [trace[i], p]);
  const px = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const fx = x + (sx + 0.5) / SS;
          const fy = y + (sy + 0.5) / SS;
          if (!inRoundedSquare(fx, fy)) continue;
          const t = fy / SIZE;
          let c = BG_TOP.map((v, i) => v + (BG_BOTTOM[i] - v) * t);
          for (const [dx, dy, rad, colour] of dots) {
            if (Math.abs(fx - dx) <= rad && Math.abs(fy - dy) <= rad && Math.hypot(fx - dx, fy - dy) <= rad) c = colour;
          }
          if (fy < 64) {
            for (const [p, q] of segs) {
              if (Math.abs(fx - p[0]) > 3 && Math.abs(fx - q[0]) > 3) continue;
              if (distToSegment(fx, fy, p, q) <= 1.6) {
                c = TRACE;
                break;
              }
            }
          }
          r += c[0];
          g += c[1];
          b += c[2];
          a += 255;
        }
      }
      const n = SS * SS;
      const cover = a / n / 255;
      const o = (y * SIZE + x) * 4;
      // Colour averaged over the covered samples only (no dark fringe at the rounded edge).
      const k = cover > 0 ? n * cover : 1;
      px[o] = Math.round(r / k);
      px[o + 1] = Math.round(g / k);
      px[o + 2] = Math.round(b / k);
      px[o + 3] = Math.round(a / n);
    }
  }
  return encodePng(SIZE, SIZE, px);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG of 8-bit RGBA pixels (filter 0 on every row). */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png'));
  writeFileSync(out, drawIcon());
  console.log(`wrote ${out}`);
}
