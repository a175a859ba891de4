// The deferred checks: what an item check can only judge once the whole file is known (dt comes
// from the simulate block, which may come last; event files are stat'ed once). Item checks fill
// one `Deferred` record; the final phase (run.ts, after every item and the simulate block)
// consumes it here: checkRunFiles, then checkTimeConstants.
import type * as A from '../ast';
import { isFileValue } from '../data-values';
import { Severity } from '../diagnostics';
import { FREQUENCY, TIME, formatQuantity } from '../units';
import type { Checker } from './context';
import { MAX_PER_NEURON_VALUES, perNeuronValues, usesNeuronIndex } from '../per-neuron';
export type { Deferred } from './context';



/** Event files (`input x = event_file[n] { file: … }`) and edge lists (`rule: from_file("…")`): the engine reads them; say now what it would refuse. */
export function checkRunFiles(cx: Checker, items: readonly A.Item[]): void {
  if (!cx.ctx.statRunFile) return;
  const check = (e: A.Expr | undefined) => {
    if (e?.kind !== 'string') return;
    // An unterminated string names no file yet: its syntax error says enough.
    if (cx.file.errors.some((x) => x.start < e.end && e.start < x.end)) return;
    const why = cx.ctx.statRunFile!(cx.uri, e.value);
    if (why) cx.err(e, why, 'missing-file');
  };
  for (const it of items) {
    if (it.kind === 'input' && it.type?.name === 'event_file') check(it.props.find((p) => p.key.name === 'file')?.value);
    if (it.kind === 'connect') {
      const rule = it.props.find((p) => p.key.name === 'rule')?.value;
      if (rule?.kind === 'call' && rule.callee.name === 'from_file') check(rule.args[0]?.value);
    }
  }
}

/** dt against the fastest time constant, delays and probe intervals against dt. */
export function checkTimeConstants(cx: Checker): void {
  const dt = cx.simulate.dt;
  if (dt === undefined) return;
  const dtProp = cx.simProp?.get('dt')?.prop.value;
  for (const d of cx.deferred.delays) {
    if (d.unbounded) cx.diags.push({ start: d.expr.start, end: d.expr.end, severity: Severity.Information, code: 'short-delays', message: `this distribution draws delays shorter than dt = ${formatQuantity(dt, TIME)}; they are rounded up to one step (use uniform(lo, hi) with lo ≥ dt to avoid that)` });
    else if (d.min !== undefined && d.min < dt - 1e-15) cx.err(d.expr, `delay ${formatQuantity(d.min, TIME)} is shorter than the time step dt = ${formatQuantity(dt, TIME)}; use at least ${formatQuantity(dt, TIME)}`, 'out-of-range');
  }
  for (const w of cx.deferred.segmentWindows) {
    if (w.value < dt - 1e-15) cx.err(w.expr, `the segment window ${formatQuantity(w.value, TIME)} is shorter than the time step dt = ${formatQuantity(dt, TIME)}; use at least ${formatQuantity(dt, TIME)}`, 'out-of-range');
  }
  for (const p of cx.deferred.intervals) {
    if (p.value < dt - 1e-15) cx.err(p.expr, `the probe interval ${formatQuantity(p.value, TIME)} is shorter than dt = ${formatQuantity(dt, TIME)}`, 'out-of-range');
  }
  // A Poisson source spikes with probability rate·dt per step, at most once: the rate is
  // reproduced only while rate·dt is small (Brian2's PoissonGroup works the same way).
  for (const r of cx.deferred.rates) {
    const p = r.value * dt;
    if (p >= 0.1) {
      cx.warn(r.expr, `rate × dt = ${formatQuantity(r.value, FREQUENCY)} × ${formatQuantity(dt, TIME)} = ${+p.toPrecision(3)}: a Poisson source spikes at most once per step, so ${p >= 1 ? 'it spikes every step and the rate is capped at 1/dt' : 'the spike train is less random than a Poisson process'}; use a smaller dt or more sources at a lower rate`, 'poisson-rate');
    }
  }
  const dur = cx.simulate.duration;
  for (const w of cx.deferred.windows) {
    if (dur !== undefined && w.end > dur + 1e-12) cx.warn(w.expr, `this window ends after the simulation (${formatQuantity(dur, TIME)})`, 'out-of-range');
  }
  if (!dtProp) return;
  // Fastest time constant among the models the populations use, with their overrides.
  let fastest: { name: string; value: number; where: string } | undefined;
  for (const item of cx.network.values()) {
    if (item.kind !== 'population' || !item.model) continue;
    for (const tc of item.model.timeConstants) {
      let value = tc.value;
      const override = item.node.inits.find((a) => a.target.kind === 'name' && a.target.name === tc.name);
      const fromFile = override && cx.fileValues.get(override.value);
      if (fromFile) {
        if (fromFile.values.length) value = fromFile.values.reduce((x, y) => Math.min(x, y));
      } else if (override && !isFileValue(override.value)) {
        // The population check typed the override (cx.types): read its type, never check it again
        // (a second check would report its errors a second time).
        const t = cx.types.get(override.value);
        if (usesNeuronIndex(override.value)) {
          // Per neuron (i, N): the smallest of its values (the population check refused it if it has none).
          const r = item.size !== undefined && item.size <= MAX_PER_NEURON_VALUES ? perNeuronValues(override.value, item.size) : undefined;
          if (r?.ok && r.values.length) value = r.values.reduce((x, y) => Math.min(x, y));
        } else if (t) value = t.value ?? (t.dist?.dist === 'uniform' ? t.dist.args[0] : t.dist?.dist === 'normal' ? t.dist.args[0] : value);
      }
      if (value > 0 && (!fastest || value < fastest.value)) fastest = { name: tc.name, value, where: `${item.model.def.name.name} in population ${item.sym.name}` };
    }
  }
  if (fastest && dt > fastest.value / 5) {
    const sev = dt > fastest.value ? Severity.Error : Severity.Warning;
    cx.diags.push({
      start: dtProp.start, end: dtProp.end, severity: sev, code: 'dt-too-coarse',
      message: `dt = ${formatQuantity(dt, TIME)} is too coarse for the fastest time constant ${fastest.name} = ${formatQuantity(fastest.value, TIME)} (${fastest.where}); use dt ≤ ${formatQuantity(fastest.value / 10, TIME)}`,
    });
  }
}



/**
 * A summed variable (synapse model `summed { target = … }`) is set every step to the sum over
 * one connection's synapses: a second summed connection, spike deliveries or a current_step
 * into the same population's variable would be overwritten (Brian2 refuses the first too).
 * Reported at the other writer, naming the (first) summed connection.
 */
export function checkDrives(cx: Checker): void {
  const summed = new Map<string, Checker['deferred']['drives'][number]>();
  for (const d of cx.deferred.drives) if (d.kind === 'summed' && !summed.has(`${d.pop}.${d.variable}`)) summed.set(`${d.pop}.${d.variable}`, d);
  const what = { summed: 'sums into it', deliveries: 'delivers spikes into it', current_step: 'sets it' };
  for (const d of cx.deferred.drives) {
    const first = summed.get(`${d.pop}.${d.variable}`);
    if (!first || first === d || (d.kind === 'summed' && d.item === first.item)) continue;
    cx.err(d.expr, `${d.pop}.${d.variable} is a summed variable of ${first.item} (set every step to the sum over its synapses); ${d.item} ${what[d.kind]} too, which ${d.kind === 'summed' ? 'Brian2 refuses as well' : 'would be overwritten'}: ${d.kind === 'summed' ? 'list all sources in one connection (a, b -> c)' : 'drive another variable'}`, 'conflict');
  }
}
