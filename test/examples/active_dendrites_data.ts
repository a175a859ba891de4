// The data of examples/active_dendrites.snn, generated here so that the test can check the
// shipped files byte for byte: 150 random sparse patterns (n = 2048 cells, a = 40 active, one
// pattern every 10 ms) and the synapses of 16 "union" segments, each storing 4 of the first 64
// patterns with 12 synapses on each (Ahmad & Hawkins 2016, section "unions").
// Regenerate with `npx tsx test/examples/active_dendrites_data.ts`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const N_CELLS = 2048;
export const ACTIVE = 40;
export const PATTERNS = 150;
export const PERIOD = 0.01; // s between patterns
export const OFFSET = 0.005; // s, first pattern
export const UNION_SEGMENTS = 16;
export const UNION_K = 4; // patterns per union segment
export const UNION_SUB = 12; // synapses per stored pattern

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** k distinct integers from [0, n), in the order drawn (partial Fisher-Yates). */
function choose(rand: () => number, n: number, k: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/** The active cells of each pattern (sorted). */
export function patterns(): number[][] {
  const rand = lcg(2016);
  return Array.from({ length: PATTERNS }, () => choose(rand, N_CELLS, ACTIVE).sort((x, y) => x - y));
}

/** Union segment j stores patterns UNION_K·j … UNION_K·j + UNION_K − 1: UNION_SUB of each one's cells. */
export function unionSynapses(): number[][] {
  const rand = lcg(7);
  const pats = patterns();
  return Array.from({ length: UNION_SEGMENTS }, (_, j) => {
    const cells = new Set<number>();
    for (let k = 0; k < UNION_K; k++) {
      const p = pats[UNION_K * j + k];
      for (const i of choose(rand, p.length, UNION_SUB)) cells.add(p[i]);
    }
    return [...cells].sort((x, y) => x - y);
  });
}

export function patternsCsv(): string {
  const lines = ['time_s,cell'];
  patterns().forEach((p, k) => p.forEach((c) => lines.push(`${(OFFSET + k * PERIOD).toFixed(3)},${c}`)));
  return lines.join('\n') + '\n';
}

export function unionEdgesCsv(): string {
  const lines = ['cell,segment'];
  unionSynapses().forEach((cells, j) => cells.forEach((c) => lines.push(`${c},${j}`)));
  return lines.join('\n') + '\n';
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = join(import.meta.dirname ?? __dirname, '..', '..', 'examples', 'data');
  writeFileSync(join(dir, 'dendrite_patterns.csv'), patternsCsv());
  writeFileSync(join(dir, 'dendrite_union_edges.csv'), unionEdgesCsv());
}
