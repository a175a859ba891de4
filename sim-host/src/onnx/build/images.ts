// A synthetic image set with planted concepts, drawn reproducibly from a seed (Philox, core/rng.ts):
// 3×16×16 RGB images, each with one shape (a square's outline, a filled disc, a cross, a bar) of one colour (red,
// green, blue) inside one quadrant, jittered by a pixel, on a noisy background. Each image's
// concepts are `shape=…`, `colour=…`, `position=…`; its label (the classification task) is the shape.
// Values are bounded so that the concept CNN's planted channels separate exactly (build/cnn.ts):
// background pixels lie in [0, 0.3), a shape's pixels have its colour's channel in (0.98, 1] and the
// other two in [0, 0.02) (one colour per shape).

import { Rng } from '../../core/rng';

export const IMAGE_CHANNELS = 3;
export const IMAGE_SIZE = 16;
export const SHAPES = ['square', 'disc', 'cross', 'bar'] as const;
export const COLOURS = ['red', 'green', 'blue'] as const;
/** Quadrants in row-major order: index = 2·row + column. */
export const POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

export type Shape = (typeof SHAPES)[number];

/** The shapes on a 5×5 grid ('#' = on). */
export const SHAPE_GRIDS: Record<Shape, readonly string[]> = {
  square: ['#####', '#...#', '#...#', '#...#', '#####'],
  disc: ['.###.', '#####', '#####', '#####', '.###.'],
  cross: ['..#..', '..#..', '#####', '..#..', '..#..'],
  bar: ['.....', '#####', '#####', '.....', '.....'],
};

export const GRID = 5;
/** Background noise bound and the noise of a shape's pixels. */
export const BACKGROUND_MAX = 0.3;
export const SHAPE_NOISE = 0.02;

export interface ImageConcepts {
  shape: number;
  colour: number;
  position: number;
}

export interface ImageSet {
  count: number;
  /** [count, 3, 16, 16], row-major. */
  data: Float32Array;
  concepts: ImageConcepts[];
}

const STREAM_PICK = 0x50494b; // which combination comes where
const STREAM_JITTER = 0x4a4954;
const STREAM_PIXEL = 0x504958;

export const COMBINATIONS = SHAPES.length * COLOURS.length * POSITIONS.length;

/**
 * `count` images: every (shape, colour, position) combination equally often (count is rounded up
 * to whole rounds of the 48 combinations, then cut), in an order shuffled by the seed.
 */
export function makeImages(count: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  const rounds = Math.ceil(count / COMBINATIONS);
  const order = Array.from({ length: rounds * COMBINATIONS }, (_, i) => i % COMBINATIONS);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform(i, 0, STREAM_PICK, 0) * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const px = IMAGE_SIZE * IMAGE_SIZE;
  const data = new Float32Array(count * IMAGE_CHANNELS * px);
  const concepts: ImageConcepts[] = [];
  for (let n = 0; n < count; n++) {
    const combo = order[n];
    const c: ImageConcepts = { shape: combo % SHAPES.length, colour: Math.floor(combo / SHAPES.length) % COLOURS.length, position: Math.floor(combo / (SHAPES.length * COLOURS.length)) };
    concepts.push(c);
    const base = n * IMAGE_CHANNELS * px;
    for (let ch = 0; ch < IMAGE_CHANNELS; ch++) for (let p = 0; p < px; p++) data[base + ch * px + p] = BACKGROUND_MAX * rng.uniform(n, ch * px + p, STREAM_PIXEL, 0) * 0.999;
    // The 5×5 grid's top-left corner: 1 or 2 pixels into its 8×8 quadrant.
    const top = 8 * (c.position >> 1) + 1 + Math.floor(rng.uniform(n, 0, STREAM_JITTER, 0) * 2);
    const left = 8 * (c.position & 1) + 1 + Math.floor(rng.uniform(n, 1, STREAM_JITTER, 0) * 2);
    // The shape's colour: drawn once per image, so that no shape's units reach higher values
    // merely by having more pixels (a unit's value is its maximum over the image).
    const colour = Array.from({ length: IMAGE_CHANNELS }, (_, ch) => {
      const u = SHAPE_NOISE * rng.uniform(n, ch, STREAM_PIXEL, 1) * 0.999;
      return ch === c.colour ? 1 - u : u;
    });
    const grid = SHAPE_GRIDS[SHAPES[c.shape]];
    for (let y = 0; y < GRID; y++) {
      for (let x = 0; x < GRID; x++) {
        if (grid[y][x] !== '#') continue;
        const p = (top + y) * IMAGE_SIZE + left + x;
        for (let ch = 0; ch < IMAGE_CHANNELS; ch++) data[base + ch * px + p] = colour[ch];
      }
    }
  }
  return { count, data, concepts };
}

/** The input set's CSV (protocol/onnx-inputs.md): `index,label,shape,colour,position`; the label is the shape. */
export function conceptsCsv(concepts: readonly ImageConcepts[]): string {
  const lines = ['index,label,shape,colour,position'];
  concepts.forEach((c, i) => lines.push(`${i},${SHAPES[c.shape]},${SHAPES[c.shape]},${COLOURS[c.colour]},${POSITIONS[c.position]}`));
  return lines.join('\n') + '\n';
}
