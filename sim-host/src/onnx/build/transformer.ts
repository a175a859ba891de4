// The two-task transformer with planted heads (issue 19; RESEARCH.md §C): weights compiled by hand
// in the spirit of tracr, so which heads each task uses is known exactly. Two layers of four
// attention heads over a 32-wide residual stream, an MLP, and a linear unembedding of the last
// position. Input: one-hot tokens [N, 8, 7] (content tokens 0–5, the marker 6).
//   copy  — the logit of the token right after the marker (classes 0–5);
//   match — whether the token after the marker equals the last token (class 6 = no, 7 = yes).
// Planted: L1.H0 (shared) flags the position after the marker (a previous-token head reading the
// marker); L2.H0 (copy's own) and L2.H1 (match's own) attend to the flagged position and copy its
// token; the MLP compares match's copy with the last token. The six other heads write into
// residual dimensions nothing reads. Pure: arrays in, ONNX bytes and input sets out.
import { Rng } from '../../core/rng';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo, type NodeProto } from '../proto';

export const K = 6; // content tokens
export const MARKER = K;
export const V = K + 1;
export const T = 8;
export const D = 32;
export const DH = 8;
export const HEADS = 4;
export const CLASSES = K + 2; // copy: 0..5, match: 6 (no), 7 (yes)
const BETA = 30; // attention sharpness: weights off the attended position ≈ e^-30

// Residual stream layout.
const TOK = 0; // 7 dims
const POS = 7; // 8 dims
const ONE = 15;
const FLAG = 16; // "the token before me is the marker"
const ANS_A = 17; // 6 dims: copy's retrieved token
const ANS_B = 23; // 6 dims: match's retrieved token
const MATCH = 29;
const JUNK1 = 30;
const JUNK2 = 31;

/** The ground truth: the heads each task needs (ids as the circuits analysis names them). */
export const PLANTED_HEADS: Record<string, string[]> = {
  copy: ['head:L1.H0', 'head:L2.H0'],
  match: ['head:L1.H0', 'head:L2.H1'],
};

interface Head {
  q: number[][]; // [D][DH]
  k: number[][];
  v: number[][];
  o: number[][]; // [DH][D]
}

const zeros = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(0));
const emptyHead = (): Head => ({ q: zeros(D, DH), k: zeros(D, DH), v: zeros(D, DH), o: zeros(DH, D) });

function layer1(): Head[] {
  const scale = Math.sqrt(DH); // scores are divided by √DH in the graph
  // H0: position i attends to i − 1 and reads whether it holds the marker → FLAG.
  const h0 = emptyHead();
  for (let i = 0; i < T; i++) h0.q[POS + i][i] = BETA * scale;
  for (let j = 0; j + 1 < T; j++) h0.k[POS + j][j + 1] = 1;
  h0.v[TOK + MARKER][0] = 1;
  h0.o[0][FLAG] = 1;
  // H1: uniform attention, the share of content tokens → JUNK1.
  const h1 = emptyHead();
  for (let t = 0; t < K; t++) h1.v[TOK + t][0] = 1;
  h1.o[0][JUNK1] = 1;
  // H2: attends to itself, whether it is token 0 → JUNK2.
  const h2 = emptyHead();
  for (let i = 0; i < T; i++) {
    h2.q[POS + i][i] = BETA * scale;
    h2.k[POS + i][i] = 1;
  }
  h2.v[TOK + 0][0] = 1;
  h2.o[0][JUNK2] = 1;
  // H3: attends to position 0, whether it holds token 1 → JUNK1.
  const h3 = emptyHead();
  h3.q[ONE][0] = BETA * scale;
  h3.k[POS + 0][0] = 1;
  h3.v[TOK + 1][0] = 1;
  h3.o[0][JUNK1] = 0.5;
  return [h0, h1, h2, h3];
}

function layer2(): Head[] {
  const scale = Math.sqrt(DH);
  // H0 and H1: attend to the flagged position and copy its content token (to ANS_A / ANS_B).
  const finder = (out: number): Head => {
    const h = emptyHead();
    h.q[ONE][0] = BETA * scale;
    h.k[FLAG][0] = 1;
    for (let t = 0; t < K; t++) {
      h.v[TOK + t][t] = 1;
      h.o[t][out + t] = 1;
    }
    return h;
  };
  // H2: uniform attention over the flags → JUNK2.
  const h2 = emptyHead();
  h2.v[FLAG][0] = 1;
  h2.o[0][JUNK2] = 1;
  // H3: attends to the marker, reads the constant → JUNK1.
  const h3 = emptyHead();
  h3.q[ONE][0] = BETA * scale;
  h3.k[TOK + MARKER][0] = 1;
  h3.v[ONE][0] = 1;
  h3.o[0][JUNK1] = 1;
  return [finder(ANS_A), finder(ANS_B), h2, h3];
}

const flat = (m: number[][]) => m.flat();

/** The model's bytes (deterministic). */
export function buildTwoTaskTransformer(): Uint8Array {
  const nodes: NodeProto[] = [];
  const inits = [];
  // Embedding: tokens → TOK dims; positions and the constant from a table added per position.
  const we = zeros(V, D);
  for (let t = 0; t < V; t++) we[t][TOK + t] = 1;
  const pe = zeros(T, D);
  for (let i = 0; i < T; i++) {
    pe[i][POS + i] = 1;
    pe[i][ONE] = 1;
  }
  inits.push(floatTensor('W_E', [V, D], flat(we)), floatTensor('W_pos', [T, D], flat(pe)));
  nodes.push(node('MatMul', ['tokens', 'W_E'], ['embed.tok'], 'embed.tok'), node('Add', ['embed.tok', 'W_pos'], ['resid0'], 'embed.pos'));
  const causal = zeros(T, T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) causal[i][j] = -1e9;
  inits.push(floatTensor('causal', [T, T], flat(causal)), floatTensor('inv_sqrt_dh', [], [1 / Math.sqrt(DH)]));
  let resid = 'resid0';
  [layer1(), layer2()].forEach((heads, l) => {
    const L = `L${l + 1}`;
    const outs: string[] = [];
    heads.forEach((h, k) => {
      const H = `${L}.H${k}`;
      inits.push(floatTensor(`${H}.Wq`, [D, DH], flat(h.q)), floatTensor(`${H}.Wk`, [D, DH], flat(h.k)), floatTensor(`${H}.Wv`, [D, DH], flat(h.v)), floatTensor(`${H}.Wo`, [DH, D], flat(h.o)));
      nodes.push(
        node('MatMul', [resid, `${H}.Wq`], [`${H}.q`], `${H}.q`),
        node('MatMul', [resid, `${H}.Wk`], [`${H}.k`], `${H}.k`),
        node('MatMul', [resid, `${H}.Wv`], [`${H}.v`], `${H}.v`),
        node('Transpose', [`${H}.k`], [`${H}.kT`], `${H}.kT`, { perm: [0, 2, 1] }),
        node('MatMul', [`${H}.q`, `${H}.kT`], [`${H}.scores`], `${H}.scores`),
        node('Mul', [`${H}.scores`, 'inv_sqrt_dh'], [`${H}.scaled`], `${H}.scaled`),
        node('Add', [`${H}.scaled`, 'causal'], [`${H}.masked`], `${H}.masked`),
        node('Softmax', [`${H}.masked`], [`${H}.attn`], `${H}.attn`, { axis: -1 }),
        // The head's value (its output before W_O): what an intervention replaces (masks.ts).
        node('MatMul', [`${H}.attn`, `${H}.v`], [H], H),
        node('MatMul', [H, `${H}.Wo`], [`${H}.out`], `${H}.out`),
      );
      outs.push(`${H}.out`);
    });
    const next = `resid${l + 1}`;
    nodes.push(node('Sum', [resid, ...outs], [next], `${L}.resid`));
    resid = next;
  });
  // MLP: unit t fires when match's retrieved token and this position's token are both t.
  const w1 = zeros(D, K);
  const w2 = zeros(K, D);
  for (let t = 0; t < K; t++) {
    w1[ANS_B + t][t] = 1;
    w1[TOK + t][t] = 1;
    w1[ONE][t] = -1;
    w2[t][MATCH] = 1;
  }
  inits.push(floatTensor('mlp.W1', [D, K], flat(w1)), floatTensor('mlp.W2', [K, D], flat(w2)));
  nodes.push(
    node('MatMul', [resid, 'mlp.W1'], ['mlp.pre'], 'mlp.pre'),
    node('Relu', ['mlp.pre'], ['mlp.units'], 'mlp.units'),
    node('MatMul', ['mlp.units', 'mlp.W2'], ['mlp.out'], 'mlp.out'),
    node('Add', [resid, 'mlp.out'], ['resid3'], 'mlp.resid'),
  );
  // Unembedding of the last position.
  const wu = zeros(D, CLASSES);
  for (let t = 0; t < K; t++) wu[ANS_A + t][t] = 1;
  wu[ONE][K] = 0.5; // "no" unless the match reads above one half
  wu[MATCH][K + 1] = 1;
  inits.push(int64Tensor('last', [], [T - 1]), floatTensor('W_U', [D, CLASSES], flat(wu)));
  nodes.push(node('Gather', ['resid3', 'last'], ['final'], 'final', { axis: 1 }), node('MatMul', ['final', 'W_U'], ['logits'], 'unembed'));
  return encodeModel({
    name: 'two_task_transformer',
    nodes,
    initializers: inits,
    inputs: [valueInfo('tokens', ['N', T, V])],
    outputs: [valueInfo('logits', ['N', CLASSES])],
    docString: 'Two tasks sharing a planted previous-token head (L1.H0). copy: classes 0-5, the token after the marker; match: class 6 no / 7 yes, the token after the marker equals the last token. Heads are the values named L<layer>.H<k> (before W_O).',
  });
}

/** One task's inputs: one-hot tokens [n, T, V] and labels (logit indices), with the sequences. */
export interface TaskSet {
  task: string;
  n: number;
  tokens: Float32Array;
  labels: Int32Array;
  sequences: number[][];
}

/**
 * A task's input set, drawn from Philox (seed, stream): one marker at 1..T−3, content tokens
 * elsewhere. match's sets are half yes (last token = the one after the marker), half no.
 */
export function twoTaskSet(task: 'copy' | 'match', n: number, seed = 19, stream = task === 'copy' ? 1 : 2): TaskSet {
  const rng = new Rng(seed);
  const pick = (k: number, i: number, slot: number) => Math.floor(rng.uniform(i, slot, stream, 0) * k);
  const sequences: number[][] = [];
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = Array.from({ length: T }, (_, t) => pick(K, i, t));
    const p = 1 + pick(T - 3, i, 100);
    s[p] = MARKER;
    if (task === 'match') {
      const yes = i % 2 === 0;
      if (yes) s[T - 1] = s[p + 1];
      else if (s[T - 1] === s[p + 1]) s[T - 1] = (s[p + 1] + 1 + pick(K - 1, i, 101)) % K;
      labels[i] = yes ? K + 1 : K;
    } else labels[i] = s[p + 1];
    sequences.push(s);
  }
  const tokens = new Float32Array(n * T * V);
  sequences.forEach((s, i) => s.forEach((tok, t) => (tokens[(i * T + t) * V + tok] = 1)));
  return { task, n, tokens, labels, sequences };
}

/** The shipped input sets' size. */
export const SET_SIZE = 240;
