// `spikeworks circuits --format text`: per task its circuit as a table (component, kind, size,
// importance), the metric clean / circuit alone / circuit removed beside the random-ablation
// control; then reuse per pair of tasks and the patching results.
import type { CircuitsResult } from '../../../../protocol/circuits';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

export function circuitsText(r: CircuitsResult): string {
  const out: string[] = [];
  const byId = new Map(r.components.map((c) => [c.id, c]));
  // An ONNX model's tasks are scored on its own logits: no readout to name.
  const ann = r.components.some((c) => c.kind === 'head' || c.kind === 'unit' || c.kind === 'channel');
  out.push(`Circuits of ${r.source}: intervention ${r.intervention}, threshold ${r.threshold}, seed ${r.seed}${ann ? '' : `, readout ${r.readoutFit ?? 'frozen'}`}; ${r.components.length} components, ${r.runs} runs in ${r.seconds.toFixed(2)} s${r.cancelled ? ' (cancelled: partial result)' : ''}`);
  for (const t of r.tasks) {
    const m = t.metric;
    out.push('', `Task ${t.task}${ann ? '' : ` (readout ${t.readout})`}: ${t.components.length} components`);
    const rows = t.components.map((id) => {
      const c = byId.get(id);
      return [c?.label ?? id, c?.kind ?? '', String(c?.size ?? ''), (t.importance[id] ?? 0).toFixed(3)];
    });
    const head = ['component', 'kind', 'size', 'importance'];
    const w = head.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)));
    const line = (cells: string[]) => '  ' + cells.map((c, k) => (k >= 2 ? c.padStart(w[k]) : c.padEnd(w[k]))).join('  ');
    out.push(line(head), ...rows.map(line));
    out.push(
      `  ${m.name}: clean ${pct(m.clean)}, circuit alone ${pct(m.circuitOnly)}, circuit removed ${pct(m.circuitAblated)}, chance ${pct(m.chance)}`,
      `  control (${t.components.length} random components removed, ${m.control.draws} draws): ${pct(m.control.mean)} ± ${pct(m.control.sd)}`,
    );
  }
  if (r.reuse.length) {
    out.push('', 'Reuse:');
    for (const u of r.reuse) out.push(`  ${u.a} / ${u.b}: ${u.shared.length} shared (${u.shared.map((id) => byId.get(id)?.label ?? id).join(', ') || 'none'}), Jaccard ${u.jaccard.toFixed(2)}, overlap coefficient ${u.overlap.toFixed(2)}`);
  }
  if (r.patches.length) {
    out.push('', 'Patching (the shared components\' activity from one task\'s run in the other\'s):');
    for (const p of r.patches) out.push(`  ${p.from} → ${p.to}: ${pct(p.before)} → ${pct(p.after)} (${p.components.length} components)`);
  }
  return out.join('\n') + '\n';
}
