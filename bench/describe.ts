// `npm run bench:describe`: Describe Neurons on 10,000 units × 504 windows of planted activity
// (sim-host/src/analysis/describe/planted.ts: 7 planted groups of 1,250 units plus 1,250
// unresponsive ones), against a simple peer measured in the same run: Diehl & Cook's
// label-by-max-response (each unit labelled with the label atom of highest mean count, no
// compositions, no significance). Prints both times, their ratio and each method's atom F1 on
// the planted groups, and ends with {"bench":"describe",…}.
import { buildAtoms, describeUnits, plantedActivity, type AtomSet, type Activity } from '../sim-host/src/analysis/describe/index';

const UNITS_PER_GROUP = Number(process.env.PER_GROUP ?? 1250);
const planted = plantedActivity({ trials: 84, perGroup: UNITS_PER_GROUP, unresponsive: UNITS_PER_GROUP, seed: 7 });
const { activity } = planted;

/** The peer: label each unit with the label atom of highest mean count (plain labels and epochs only). */
function labelByMaxResponse(act: Activity, atoms: AtomSet): string[] {
  const n = act.windows;
  const labels = atoms.atoms.map((a, i) => ({ a, i })).filter(({ a }) => a.kind === 'label' || a.kind === 'epoch' || a.kind === 'feature');
  const member = labels.map(({ i }) => {
    const m = new Uint8Array(n);
    for (let w = 0; w < n; w++) m[w] = (atoms.masks[i * atoms.words + (w >>> 5)] >>> (w & 31)) & 1;
    return m;
  });
  const out: string[] = [];
  for (let u = 0; u < act.units; u++) {
    let best = -Infinity;
    let name = '';
    labels.forEach(({ a }, j) => {
      let s = 0;
      for (let w = 0; w < n; w++) if (member[j][w]) s += act.counts[u * n + w];
      const mean = s / a.count;
      if (mean > best) {
        best = mean;
        name = a.name;
      }
    });
    out.push(name);
  }
  return out;
}

const f1 = (got: string[], want: string[]) => {
  const hit = got.filter((x) => want.includes(x)).length;
  return hit === 0 ? 0 : (2 * hit) / (got.length + want.length);
};
const meanF1 = (atomsOf: (u: number) => string[]) => {
  const groups = planted.groups.filter((g) => g.atoms.length);
  return groups.reduce((s, g) => s + g.units.reduce((t, u) => t + f1(atomsOf(u), g.atoms), 0) / g.units.length, 0) / groups.length;
};

const t0 = performance.now();
const atoms = buildAtoms(planted.windows);
const result = describeUnits(activity, atoms, { seed: 1 });
const describeMs = performance.now() - t0;
const t1 = performance.now();
const peer = labelByMaxResponse(activity, buildAtoms(planted.windows));
const peerMs = performance.now() - t1;

const ours = meanF1((u) => (result.units[u].selective ? result.units[u].atoms : []));
const theirs = meanF1((u) => [peer[u]]);
const unresponsive = planted.groups.find((g) => g.atoms.length === 0)!.units;
const unselective = unresponsive.filter((u) => !result.units[u].selective).length / unresponsive.length;
console.log(`units ${activity.units}, windows ${activity.windows}, atoms ${atoms.atoms.length}, permutations ${result.params.permutations}`);
console.log(`describe (beam search, PMI score, permutation p, BH): ${describeMs.toFixed(0)} ms`);
console.log(`label-by-max-response peer:                           ${peerMs.toFixed(0)} ms`);
console.log(`ratio describe / peer: ${(describeMs / peerMs).toFixed(2)}`);
console.log(`planted-atom F1 (mean over the 7 groups): describe ${ours.toFixed(3)}, peer ${theirs.toFixed(3)}; unresponsive called unselective ${(unselective * 100).toFixed(1)} % (peer labels every unit)`);
console.log(`groups found: ${result.groups.slice(0, 8).map((g) => `${g.formula} (${g.units.length})`).join(', ')}`);
console.log(JSON.stringify({ bench: 'describe', units: activity.units, windows: activity.windows, describe_ms: Math.round(describeMs), peer_ms: Math.round(peerMs), ratio: +(describeMs / peerMs).toFixed(2), f1: +ours.toFixed(3), peer_f1: +theirs.toFixed(3), unresponsive_unselective: +unselective.toFixed(3) }));
