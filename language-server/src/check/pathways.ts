// Several presynaptic pathways on one connection (Brian2's on_pre={'fast': …, 'slow': …} with
// S.fast.delay, S.slow.delay):
//   connect ab: a -> b {
//     rule: all_to_all; weight: 1 nS
//     pathways: { fast: { delay: 1 ms; on_pre: g_e += w }; slow: { delay: 5 ms; on_pre: g_i += w } }
//   }
// The same synapses (drawn once, one weight each) deliver each pathway's statement after that
// pathway's delay. What the engine runs: per pathway one inline statement x += w or x -= w and one
// constant delay; the connection then has no target, on_pre/on_post, delay, synapse model or
// segments of its own.
import type * as A from '../ast';
import { PATHWAY } from '../schema';
import type { Checker } from './context';
import { checkValue, propMap } from './values';

const EXAMPLE = 'pathways: { fast: { delay: 1 ms; on_pre: g_e += w }; slow: { delay: 5 ms; on_pre: g_i += w } }';

/** `statements`: checks a pathway's on_pre as the connection's inline statements (connect.ts). */
export function checkPathways(cx: Checker, p: A.Property, props: Map<string, A.Property>, statements: (pr: A.Property) => void): void {
  for (const k of ['target', 'on_pre', 'on_post', 'delay', 'synapse', 'segments'] as const) {
    const q = props.get(k);
    if (q) cx.err(q.key, `with pathways, each pathway gives its own on_pre and delay; the connection takes no ${k} (move it into the pathways, or drop pathways)`, 'conflict');
  }
  if (!p.props) {
    cx.err(p.value, `pathways takes a block of named pathways, e.g. ${EXAMPLE}`, 'bad-value');
    return;
  }
  if (!p.props.length) cx.err(p.key, `pathways needs at least one pathway, e.g. ${EXAMPLE}`, 'missing-property');
  const seen = new Set<string>();
  for (const q of p.props) {
    if (seen.has(q.key.name)) cx.err(q.key, `pathway '${q.key.name}' is defined twice`, 'duplicate');
    seen.add(q.key.name);
    if (!q.props) {
      cx.err(q.value.kind === 'error' ? q.key : q.value, `pathway '${q.key.name}' is a block: ${q.key.name}: { delay: 1 ms; on_pre: g_e += w }`, 'bad-value');
      continue;
    }
    const where = `pathway ${q.key.name}`;
    const m = propMap(cx, q.props, PATHWAY, where);
    const pre = m.get('on_pre');
    if (!pre) cx.err(q.key, `pathway '${q.key.name}' needs 'on_pre:' (e.g. on_pre: g_e += w)`, 'missing-property');
    else statements(pre);
    const d = m.get('delay');
    if (d) {
      const t = checkValue(cx, d, PATHWAY.delay, where);
      if (t.dist || d.value.kind === 'list') cx.err(d.value, "a pathway's delay is one constant (per-synapse delays: one connection per pathway)", 'not-constant');
      else if (t.value !== undefined) cx.deferred.delays.push({ expr: d.value, min: t.value });
    }
  }
}

/** A connection's pathways as the estimate and lowering see them: name, delay (seconds, if any), its on_pre property. */
export function pathwaysOf(cx: { typeOf(e: A.Expr): { value?: number } }, p: A.Property | undefined): { name: string; delay?: number; onPre?: A.Property }[] | undefined {
  if (!p?.props) return undefined;
  return p.props.map((q) => {
    const d = q.props?.find((x) => x.key.name === 'delay');
    const v = d ? cx.typeOf(d.value).value : undefined;
    return { name: q.key.name, ...(v !== undefined ? { delay: v } : {}), onPre: q.props?.find((x) => x.key.name === 'on_pre') };
  });
}
