// The concept CNN (examples/onnx/concept_cnn.onnx): planted detector channels with known ground
// truth, and a classifier head trained here. Graph (every node named):
//
//   image [N,3,16,16] → conv1 (3×3, pad 1) → relu1 → conv2 (5×5, pad 2) → relu2
//     → pool (MaxPool 8×8, stride 8: one value per quadrant) → flatten [N,32]
//     → fc1 (Gemm, 13 units) → relu3 → fc2 (Gemm, 4 logits: the shape)
//
// conv1's channels are colour detectors (red, green, blue). conv2's channels 0–3 are shape
// detectors (a matched filter of each 5×5 shape on the colour channels' sum: +1 on the shape, −1
// off it, the bias between the worst other shape's response and the shape's own, both bounded
// from the image set's pixel bounds — checked below), 4–6 pass the colours on, 7 fires on any
// object (so it is selective for nothing). After the quadrant max pool, flatten's feature
// 4·channel + quadrant is "this detector in this quadrant". fc1 holds position units (the object
// channel in one quadrant), shape units, colour units and two conjunctions (red AND disc; cross
// AND bottom-right). fc2 is trained: softmax regression on relu3's units by full-batch gradient
// descent (float64, fixed steps), weights rounded to 1e-4 so the bytes do not hang on the last
// bit of Math.exp.

import { encodeModel, floatTensor, node, valueInfo } from '../proto';
import { BACKGROUND_MAX, COLOURS, GRID, IMAGE_CHANNELS, IMAGE_SIZE, POSITIONS, SHAPE_GRIDS, SHAPE_NOISE, SHAPES, makeImages, type Shape } from './images';

/** A colour unit's value on a shape pixel lies in (A_MIN, A_MAX]; it is 0 elsewhere. */
const COLOUR_BIAS = -0.4;
const OTHER_WEIGHT = -0.5;
export const A_MIN = 1 - SHAPE_NOISE + 2 * OTHER_WEIGHT * SHAPE_NOISE + COLOUR_BIAS;
export const A_MAX = 1 + COLOUR_BIAS;
const OFF_WEIGHT = -1;

const C1 = COLOURS.length;
const SHAPE_CH = 0;
const COLOUR_CH = SHAPES.length;
const OBJECT_CH = COLOUR_CH + COLOURS.length;
const C2 = OBJECT_CH + 1;
const QUADRANTS = POSITIONS.length;
const FLAT = C2 * QUADRANTS;
/** fc1's units. */
const H_POS = 0;
const H_SHAPE = H_POS + QUADRANTS;
const H_COLOUR = H_SHAPE + SHAPES.length;
const H_CONJ = H_COLOUR + COLOURS.length;
const CONJUNCTIONS: { colour?: number; shape: number; position?: number }[] = [
  { colour: COLOURS.indexOf('red'), shape: SHAPES.indexOf('disc') },
  { shape: SHAPES.indexOf('cross'), position: POSITIONS.indexOf('bottom-right') },
];
const HIDDEN = H_CONJ + CONJUNCTIONS.length;
const CLASSES = SHAPES.length;

const on = (s: Shape, y: number, x: number) => y >= 0 && y < GRID && x >= 0 && x < GRID && SHAPE_GRIDS[s][y][x] === '#';
const cells = (s: Shape) => SHAPE_GRIDS[s].join('').split('').filter((c) => c === '#').length;

/**
 * Bounds of shape detector s's response before its bias: its own shape aligned gives at least
 * `selfMin` (at most `selfMax`); any other shape at any offset at most `otherMax`.
 */
export function shapeMargins(s: Shape): { selfMin: number; selfMax: number; otherMax: number } {
  let otherMax = -Infinity;
  for (const t of SHAPES) {
    if (t === s) continue;
    for (let dy = -GRID + 1; dy < GRID; dy++) {
      for (let dx = -GRID + 1; dx < GRID; dx++) {
        let hit = 0;
        let miss = 0;
        for (let y = 0; y < GRID; y++) for (let x = 0; x < GRID; x++) if (on(t, y - dy, x - dx)) (on(s, y, x) ? hit++ : miss++);
        otherMax = Math.max(otherMax, A_MAX * hit + OFF_WEIGHT * A_MIN * miss);
      }
    }
  }
  return { selfMin: A_MIN * cells(s), selfMax: A_MAX * cells(s), otherMax };
}

/** Detector s's bias, and the least and greatest value of its unit (after Relu) on its own shape. */
function shapeDetector(s: Shape): { bias: number; low: number; high: number } {
  const m = shapeMargins(s);
  if (!(m.selfMin > m.otherMax)) throw new Error(`shape ${s}: its detector cannot separate it (${m.selfMin} ≤ ${m.otherMax})`);
  const threshold = m.otherMax + 0.2 * (m.selfMin - m.otherMax);
  return { bias: -threshold, low: m.selfMin - threshold, high: m.selfMax - threshold };
}

/** What a planted unit responds to: its atoms (empty: selective for nothing). */
export interface PlantedUnit {
  node: string;
  unit: number;
  atoms: string[];
}

const shapeAtom = (s: number) => `shape=${SHAPES[s]}`;
const colourAtom = (c: number) => `colour=${COLOURS[c]}`;
const positionAtom = (q: number) => `position=${POSITIONS[q]}`;

function conv2Atoms(ch: number): string[] {
  if (ch < COLOUR_CH) return [shapeAtom(ch - SHAPE_CH)];
  if (ch < OBJECT_CH) return [colourAtom(ch - COLOUR_CH)];
  return [];
}

/** The ground truth: every planted unit of the concept CNN (fc2, trained, is not planted). */
export function plantedUnits(): PlantedUnit[] {
  const out: PlantedUnit[] = [];
  for (const n of ['conv1', 'relu1']) for (let c = 0; c < C1; c++) out.push({ node: n, unit: c, atoms: [colourAtom(c)] });
  for (const n of ['conv2', 'relu2', 'pool']) for (let c = 0; c < C2; c++) out.push({ node: n, unit: c, atoms: conv2Atoms(c) });
  for (let c = 0; c < C2; c++) for (let q = 0; q < QUADRANTS; q++) out.push({ node: 'flatten', unit: c * QUADRANTS + q, atoms: [...conv2Atoms(c), positionAtom(q)] });
  for (const n of ['fc1', 'relu3']) {
    for (let q = 0; q < QUADRANTS; q++) out.push({ node: n, unit: H_POS + q, atoms: [positionAtom(q)] });
    for (let s = 0; s < SHAPES.length; s++) out.push({ node: n, unit: H_SHAPE + s, atoms: [shapeAtom(s)] });
    for (let c = 0; c < C1; c++) out.push({ node: n, unit: H_COLOUR + c, atoms: [colourAtom(c)] });
    CONJUNCTIONS.forEach((k, i) => out.push({ node: n, unit: H_CONJ + i, atoms: [...(k.colour !== undefined ? [colourAtom(k.colour)] : []), shapeAtom(k.shape), ...(k.position !== undefined ? [positionAtom(k.position)] : [])] }));
  }
  return out;
}

interface Weights {
  w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array;
  w3: Float64Array; b3: Float64Array; w4: Float64Array; b4: Float64Array;
}

function plantedWeights(): Omit<Weights, 'w4' | 'b4'> {
  // conv1 [3,3,3,3]: the centre tap only; colour c: +1 on its channel, −0.5 on the others.
  const w1 = new Float64Array(C1 * IMAGE_CHANNELS * 9);
  const b1 = new Float64Array(C1).fill(COLOUR_BIAS);
  for (let k = 0; k < C1; k++) for (let c = 0; c < IMAGE_CHANNELS; c++) w1[(k * IMAGE_CHANNELS + c) * 9 + 4] = c === k ? 1 : OTHER_WEIGHT;
  if (BACKGROUND_MAX + COLOUR_BIAS >= 0) throw new Error('the background would reach the colour units');
  // conv2 [8,3,5,5].
  const K = GRID * GRID;
  const w2 = new Float64Array(C2 * C1 * K);
  const b2 = new Float64Array(C2);
  const detectors = SHAPES.map((s) => shapeDetector(s));
  SHAPES.forEach((s, i) => {
    b2[SHAPE_CH + i] = detectors[i].bias;
    for (let c = 0; c < C1; c++) for (let y = 0; y < GRID; y++) for (let x = 0; x < GRID; x++) w2[((SHAPE_CH + i) * C1 + c) * K + y * GRID + x] = on(s, y, x) ? 1 : OFF_WEIGHT;
  });
  const centre = (GRID * GRID - 1) / 2;
  for (let c = 0; c < C1; c++) w2[((COLOUR_CH + c) * C1 + c) * K + centre] = 1;
  for (let c = 0; c < C1; c++) w2[(OBJECT_CH * C1 + c) * K + centre] = 1;
  // fc1 [13, 32] (Gemm, transB): units scaled so that a present feature gives ≥ 0.5.
  const w3 = new Float64Array(HIDDEN * FLAT);
  const b3 = new Float64Array(HIDDEN);
  const f = (ch: number, q: number) => ch * QUADRANTS + q;
  const set = (h: number, ch: number, q: number, v: number) => (w3[h * FLAT + f(ch, q)] = v);
  for (let q = 0; q < QUADRANTS; q++) {
    set(H_POS + q, OBJECT_CH, q, 1 / A_MIN);
    b3[H_POS + q] = -0.5;
  }
  SHAPES.forEach((_, s) => {
    for (let q = 0; q < QUADRANTS; q++) set(H_SHAPE + s, SHAPE_CH + s, q, 1 / detectors[s].low);
    b3[H_SHAPE + s] = -0.5;
  });
  for (let c = 0; c < C1; c++) {
    for (let q = 0; q < QUADRANTS; q++) set(H_COLOUR + c, COLOUR_CH + c, q, 1 / A_MIN);
    b3[H_COLOUR + c] = -0.5;
  }
  // A conjunction of two features, each scaled to [1, r) with r < 1.5 when present and 0 when
  // absent: their sum − 1.5 is positive only when both are.
  CONJUNCTIONS.forEach((k, i) => {
    const h = H_CONJ + i;
    const d = detectors[k.shape];
    if (d.high / d.low >= 1.5 || A_MAX / A_MIN >= 1.5) throw new Error('a conjunction unit would fire on one of its features alone');
    for (let q = 0; q < QUADRANTS; q++) {
      set(h, SHAPE_CH + k.shape, q, 1 / d.low);
      if (k.colour !== undefined) set(h, COLOUR_CH + k.colour, q, 1 / A_MIN);
    }
    if (k.position !== undefined) set(h, OBJECT_CH, k.position, 1 / A_MIN);
    b3[h] = -1.5;
  });
  return { w1, b1, w2, b2, w3, b3 };
}

const f32 = (x: number) => Math.fround(x);

/** relu3's units for a batch of images, computed in float32 steps as the model does (for training the head). */
function hiddenUnits(p: Omit<Weights, 'w4' | 'b4'>, data: Float32Array, count: number): Float64Array {
  const S = IMAGE_SIZE;
  const out = new Float64Array(count * HIDDEN);
  const r1 = new Float32Array(C1 * S * S);
  const pooled = new Float32Array(FLAT);
  for (let n = 0; n < count; n++) {
    const img = data.subarray(n * IMAGE_CHANNELS * S * S, (n + 1) * IMAGE_CHANNELS * S * S);
    for (let k = 0; k < C1; k++) {
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          let acc = p.b1[k];
          for (let c = 0; c < IMAGE_CHANNELS; c++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || yy >= S || xx < 0 || xx >= S) continue;
            acc += f32(p.w1[(k * IMAGE_CHANNELS + c) * 9 + (dy + 1) * 3 + dx + 1]) * img[c * S * S + yy * S + xx];
          }
          r1[k * S * S + y * S + x] = Math.max(0, f32(acc));
        }
      }
    }
    pooled.fill(0);
    const h = (GRID - 1) / 2;
    for (let k = 0; k < C2; k++) {
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          let acc = p.b2[k];
          for (let c = 0; c < C1; c++) for (let dy = -h; dy <= h; dy++) for (let dx = -h; dx <= h; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || yy >= S || xx < 0 || xx >= S) continue;
            const w = p.w2[((k * C1 + c) * GRID + dy + h) * GRID + dx + h];
            if (w !== 0) acc += f32(w) * r1[c * S * S + yy * S + xx];
          }
          const q = 2 * (y >= S / 2 ? 1 : 0) + (x >= S / 2 ? 1 : 0);
          pooled[k * QUADRANTS + q] = Math.max(pooled[k * QUADRANTS + q], f32(acc));
        }
      }
    }
    for (let u = 0; u < HIDDEN; u++) {
      let acc = p.b3[u];
      for (let i = 0; i < FLAT; i++) acc += f32(p.w3[u * FLAT + i]) * pooled[i];
      out[n * HIDDEN + u] = Math.max(0, acc);
    }
  }
  return out;
}

/** Softmax regression from relu3's units to the shape, by full-batch gradient descent. */
function trainHead(x: Float64Array, labels: readonly number[], steps = 400, rate = 0.5): { w4: Float64Array; b4: Float64Array; accuracy: number } {
  const n = labels.length;
  const w = new Float64Array(CLASSES * HIDDEN);
  const b = new Float64Array(CLASSES);
  const gw = new Float64Array(w.length);
  const gb = new Float64Array(CLASSES);
  const z = new Float64Array(CLASSES);
  const predict = (i: number) => {
    for (let k = 0; k < CLASSES; k++) {
      let acc = b[k];
      for (let j = 0; j < HIDDEN; j++) acc += w[k * HIDDEN + j] * x[i * HIDDEN + j];
      z[k] = acc;
    }
  };
  for (let step = 0; step < steps; step++) {
    gw.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      predict(i);
      const m = Math.max(...z);
      let sum = 0;
      for (let k = 0; k < CLASSES; k++) sum += (z[k] = Math.exp(z[k] - m));
      for (let k = 0; k < CLASSES; k++) {
        const g = z[k] / sum - (k === labels[i] ? 1 : 0);
        gb[k] += g;
        for (let j = 0; j < HIDDEN; j++) gw[k * HIDDEN + j] += g * x[i * HIDDEN + j];
      }
    }
    for (let k = 0; k < w.length; k++) w[k] -= (rate * gw[k]) / n;
    for (let k = 0; k < CLASSES; k++) b[k] -= (rate * gb[k]) / n;
  }
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  for (let k = 0; k < w.length; k++) w[k] = round(w[k]);
  for (let k = 0; k < CLASSES; k++) b[k] = round(b[k]);
  let right = 0;
  for (let i = 0; i < n; i++) {
    predict(i);
    if (z.indexOf(Math.max(...z)) === labels[i]) right++;
  }
  return { w4: w, b4: b, accuracy: right / n };
}

export const TRAIN_SEED = 19_001;
export const TRAIN_IMAGES = 480;

/** The concept CNN as ONNX bytes, and the head's training accuracy. Deterministic. */
export function buildConceptCnn(): { bytes: Uint8Array; trainAccuracy: number } {
  const p = plantedWeights();
  const train = makeImages(TRAIN_IMAGES, TRAIN_SEED);
  const head = trainHead(hiddenUnits(p, train.data, train.count), train.concepts.map((c) => c.shape));
  const S = IMAGE_SIZE;
  const bytes = encodeModel({
    name: 'concept_cnn',
    docString: 'Spikeworks concept CNN: planted colour, shape and position detectors and a trained shape classifier (sim-host/src/onnx/build/cnn.ts).',
    inputs: [valueInfo('image', ['N', IMAGE_CHANNELS, S, S])],
    outputs: [valueInfo('logits', ['N', CLASSES])],
    initializers: [
      floatTensor('conv1.weight', [C1, IMAGE_CHANNELS, 3, 3], p.w1),
      floatTensor('conv1.bias', [C1], p.b1),
      floatTensor('conv2.weight', [C2, C1, GRID, GRID], p.w2),
      floatTensor('conv2.bias', [C2], p.b2),
      floatTensor('fc1.weight', [HIDDEN, FLAT], p.w3),
      floatTensor('fc1.bias', [HIDDEN], p.b3),
      floatTensor('fc2.weight', [CLASSES, HIDDEN], head.w4),
      floatTensor('fc2.bias', [CLASSES], head.b4),
    ],
    nodes: [
      node('Conv', ['image', 'conv1.weight', 'conv1.bias'], ['conv1_out'], 'conv1', { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }),
      node('Relu', ['conv1_out'], ['relu1_out'], 'relu1'),
      node('Conv', ['relu1_out', 'conv2.weight', 'conv2.bias'], ['conv2_out'], 'conv2', { kernel_shape: [GRID, GRID], pads: [2, 2, 2, 2], strides: [1, 1] }),
      node('Relu', ['conv2_out'], ['relu2_out'], 'relu2'),
      node('MaxPool', ['relu2_out'], ['pool_out'], 'pool', { kernel_shape: [8, 8], strides: [8, 8] }),
      node('Flatten', ['pool_out'], ['flat_out'], 'flatten', { axis: 1 }),
      node('Gemm', ['flat_out', 'fc1.weight', 'fc1.bias'], ['fc1_out'], 'fc1', { transB: 1 }),
      node('Relu', ['fc1_out'], ['relu3_out'], 'relu3'),
      node('Gemm', ['relu3_out', 'fc2.weight', 'fc2.bias'], ['logits'], 'fc2', { transB: 1 }),
    ],
  });
  return { bytes, trainAccuracy: head.accuracy };
}

export const INPUT_SEED = 19_019;
/** The shipped input set: six rounds of every (shape, colour, position) combination. */
export const INPUT_IMAGES = 288;
