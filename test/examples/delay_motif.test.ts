// Heterogeneous synaptic delays detecting spike motifs (Grimaldi & Perrinet 2023): each
// detector fires for its motif embedded in Poisson noise (hit rate >= 90 %, false alarms
// <= 5 %); with its delays shuffled among its channels it no longer does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../../protocol/ir';
import { counts, examplesDir, loadExample, loadText, runIR } from './helpers';

const SEEDS = [1, 2, 3];
const K = 4; // detectors = motifs

/** Hit and false-alarm rates per detector over the task's windows ("motif k"). */
function rates(ir: ModelIR, seed: number): { hit: number[]; fa: number[] } {
  const r = runIR(ir, { seed });
  const windows = ir.tasks.find((t) => t.name === 'motifs')!.windows;
  const hit = new Array(K).fill(0);
  const fa = new Array(K).fill(0);
  const own = new Array(K).fill(0);
  const other = new Array(K).fill(0);
  for (const w of windows) {
    const k = Number(/^motif (\d)$/.exec(w.label)![1]);
    const c = counts(r, 'det', w.from, w.to);
    for (let d = 0; d < K; d++) {
      if (d === k) (own[d]++, c[d] > 0 && hit[d]++);
      else (other[d]++, c[d] > 0 && fa[d]++);
    }
  }
  return { hit: hit.map((h, d) => h / own[d]), fa: fa.map((f, d) => f / other[d]) };
}

/** The example's text with each detector's delays permuted among the channels it listens to. */
function shuffled(text: string): string {
  let state = 12345;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const weightsOf = /weight: \[([^\]]*)\]/.exec(text)![1].split(',').map((x) => parseFloat(x.replace(/\/\/.*$/gm, '')));
  return text.replace(/delay: \[([^\]]*)\]/g, (_m, body: string) => {
    const vals = body.replace(/\/\/[^\n]*/g, '').split(',').map((x) => x.trim());
    for (let d = 0; d < K; d++) {
      const at = vals.map((_, i) => i).filter((i) => i % K === d && weightsOf[i] !== 0);
      const perm = at.map((i) => vals[i]);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      at.forEach((i, m) => (vals[i] = perm[m]));
    }
    return `delay: [${vals.join(', ')}]`;
  });
}

describe('examples/delay_motif.snn', () => {
  const ir = loadExample('delay_motif');

  it('every detector: hit rate >= 90 % on its motif, false alarms <= 5 % on the others, in 5 Hz noise (seeds 1-3)', () => {
    for (const seed of SEEDS) {
      const { hit, fa } = rates(ir, seed);
      console.log(`  seed ${seed}: hits ${hit.map((x) => `${(100 * x).toFixed(0)} %`).join(', ')}; false alarms ${fa.map((x) => `${(100 * x).toFixed(1)} %`).join(', ')}`);
      hit.forEach((h, d) => assert.ok(h >= 0.9, `seed ${seed}, detector ${d}: hit rate ${h}`));
      fa.forEach((f, d) => assert.ok(f <= 0.05, `seed ${seed}, detector ${d}: false-alarm rate ${f}`));
    }
  });

  it('with each detector\'s delays shuffled among its channels, no detector reaches a 90 % hit rate', () => {
    const text = readFileSync(join(examplesDir, 'delay_motif.snn'), 'utf8');
    const variant = shuffled(text);
    assert.notEqual(variant, text);
    const sh = loadText(variant, 'delay_motif_shuffled');
    for (const seed of SEEDS) {
      const { hit, fa } = rates(sh, seed);
      console.log(`  shuffled, seed ${seed}: hits ${hit.map((x) => `${(100 * x).toFixed(0)} %`).join(', ')}; false alarms ${fa.map((x) => `${(100 * x).toFixed(1)} %`).join(', ')}`);
      hit.forEach((h, d) => assert.ok(h < 0.9, `seed ${seed}, detector ${d}: still ${h} with shuffled delays`));
    }
  });
});
