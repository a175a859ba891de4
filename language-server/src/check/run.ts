// One file's check, in explicit phases:
//   1. syntax errors; visible models (the prelude); the `model` line; imports (import.ts)
//   2. the file's neuron and synapse models, before anything that uses them (models.ts)
//   3. network names declared, so that items may refer to items further down (network.ts)
//   4. items (populations, inputs, then the rest, each in file order), each by the checks
//      ITEM_CHECKS registers for its kind; a check reads
//      what earlier phases and earlier items recorded (a population's size, say) and records its
//      results in the Checker; what needs dt or the whole file goes into `cx.deferred`
//   5. the simulate block (the first one; more are errors)
//   6. final phase: the deferred checks (deferred.ts, ONNX readouts' model files in
//      onnx-readout.ts, links in linked.ts), then the size check (size.ts), the
//      Loihi target fit (target.ts), then the
//      cap on the number of diagnostics
import type * as A from '../ast';
import type { CheckContext, FileAnalysis, ModelInfo } from '../analysis';
import { Severity } from '../diagnostics';
import { checkBlock, checkSimulate } from './blocks';
import { checkConnect } from './connect';
import { Checker } from './context';
import { checkDrives, checkRunFiles, checkTimeConstants } from './deferred';
import { checkScheduleTimes } from './schedule';
import { checkCompartmentStability } from './compartments';
import { checkImport } from './imports';
import { checkLinks } from './linked';
import { checkOnnxReadouts } from './onnx-readout';
import { checkModel } from './models';
import { declareNetwork } from './network';
import { checkPopulation } from './population';
import { checkProbe } from './probe';
import { checkSize } from './size';
import { checkTargets } from './target';
import { MAX_DIAGNOSTICS } from './util';
import { headNodes, netKey, record, recordItem, replayHead, replayItem, sameHead, type CheckMemo } from './memo';
import type { Sym } from '../symbols';

type ItemOf<K extends A.Item['kind']> = Extract<A.Item, { kind: K }>;
type ItemCheck<K extends A.Item['kind']> = (cx: Checker, item: ItemOf<K>) => void;

/**
 * The checks of phase 4, by item kind (Langium's validation registry in miniature). Models,
 * imports, the model line and simulate have phases of their own and no entry here.
 */
export const ITEM_CHECKS: { [K in A.Item['kind']]?: ItemCheck<K>[] } = {
  population: [checkPopulation],
  connect: [checkConnect],
  probe: [checkProbe],
  input: [checkBlock],
  readout: [checkBlock],
  target: [checkBlock],
  concept: [checkBlock],
  task: [checkBlock],
};

function checkItem<K extends A.Item['kind']>(cx: Checker, item: ItemOf<K>): void {
  const checks = ITEM_CHECKS[item.kind as K] as ItemCheck<K>[] | undefined;
  if (checks) for (const check of checks) check(cx, item);
}

/**
 * `last`: the memo of this file's previous check (memo.ts), whose records are taken over where
 * nothing they depend on changed; `next` receives this check's memo.
 */
export function runChecks(uri: string, file: A.SnnFile, ctx: CheckContext, isPrelude: boolean, last?: CheckMemo, next?: CheckMemo): FileAnalysis {
  const cx = new Checker(uri, file, ctx, isPrelude);
  // 1. syntax, visible models, the model line, imports
  for (const e of file.errors) cx.diags.push({ start: e.start, end: e.end, severity: Severity.Error, message: e.message, code: e.code });
  if (!isPrelude) for (const [k, m] of ctx.preludeModels()) cx.models.set(k, m);
  const items = file.items;
  const head = headNodes(items);
  const headReused = sameHead(last, head, items[0]);
  if (headReused) replayHead(cx, last.head.record);
  else {
    const end = record(cx);
    const modelsSet: [string, ModelInfo][] = [];
    const own0 = cx.own.length;
    checkHead(cx, items, modelsSet);
    if (next) next.head = { nodes: head, starts: head.map((n) => n.start), first: items[0], record: { ...end(), modelsSet, own: cx.own.slice(own0) } };
  }
  // 3. network names
  const s0 = cx.symbols.length;
  declareNetwork(cx, items);
  const netSyms = cx.symbols.slice(s0);
  const key = next || last ? netKey(file) : '';
  if (next) {
    next.netKey = key;
    next.netSyms = netSyms;
  }
  // References to the last check's network symbols, mapped to this check's (same key, same order).
  const takeOver = headReused && last.netKey === key && last.netSyms?.length === netSyms.length;
  const symMap = new Map<Sym, Sym>();
  if (takeOver) last.netSyms!.forEach((s, k) => symMap.set(s, netSyms[k]));
  // 4. items: populations, then inputs, then the rest, each in file order, so that an item
  // above a population or input it names still sees that one's size and model (a slice
  // n[0..20] of a population declared further down is checked against its size).
  for (const it of checkOrder(items)) {
    const rec = takeOver ? last.items.get(it) : undefined;
    if (rec && rec.start === it.start) {
      const mapped = replayItem(cx, it, rec, symMap);
      next?.items.set(it, mapped);
      continue;
    }
    if (!next) checkItem(cx, it);
    else if (ITEM_CHECKS[it.kind]) {
      const r = recordItem(cx, it, () => checkItem(cx, it));
      if (r) next.items.set(it, r);
    }
  }
  // 5. simulate
  const sims = items.filter((i): i is A.BlockDef => i.kind === 'simulate');
  sims.slice(1).forEach((s) => cx.err(s.keyword, "only one 'simulate' block per model", 'duplicate'));
  if (sims[0]) checkSimulate(cx, sims[0]);
  // 6. final phase
  checkRunFiles(cx, items);
  checkOnnxReadouts(cx, items);
  checkTimeConstants(cx);
  checkDrives(cx);
  checkScheduleTimes(cx);
  checkLinks(cx);
  checkCompartmentStability(cx);
  const totals = checkSize(cx);
  checkTargets(cx, items);
  if (cx.diags.length > MAX_DIAGNOSTICS) {
    // Garbage input: the first errors say enough; thousands more only slow the editor down.
    const extra = cx.diags.length - MAX_DIAGNOSTICS;
    cx.diags.sort((x, y) => x.start - y.start);
    cx.diags.length = MAX_DIAGNOSTICS;
    cx.diags.push({ start: 0, end: 0, severity: Severity.Error, code: 'too-many-errors', message: `${extra} more problems not shown; is this a .snn file?` });
  }
  return {
    uri, file, diagnostics: cx.diags, symbols: cx.symbols, references: cx.refs,
    models: cx.models, ownModels: cx.own, network: cx.network, estimates: cx.estimates, totals, simulate: cx.simulate, imports: cx.imports, fileValues: cx.fileValues, types: cx.types,
  };
}

const CHECK_RANK: Partial<Record<A.Item['kind'], number>> = { population: 0, input: 1 };

/** Items in the order phase 4 checks them: what others read a size or model of comes first. */
function checkOrder(items: readonly A.Item[]): A.Item[] {
  const rank = (it: A.Item) => CHECK_RANK[it.kind] ?? 2;
  return items.map((it, k) => ({ it, k })).sort((a, b) => rank(a.it) - rank(b.it) || a.k - b.k).map((x) => x.it);
}

/** Phases 1 (the model line, imports) and 2 (the file's models). */
function checkHead(cx: Checker, items: readonly A.Item[], modelsSet: [string, ModelInfo][]): void {
  const { uri } = cx;
  let modelSeen = false;
  for (const it of items) {
    if (it.kind === 'model') {
      if (modelSeen) cx.err(it, "only one 'model' line per file", 'duplicate');
      else if (it !== items[0]) cx.err(it, "'model' must come first in the file", 'misplaced');
      modelSeen = true;
      cx.sym('model', it.name, it);
    } else if (it.kind === 'import') checkImport(cx, it);
  }
  // 2. models first: network items refer to them regardless of order
  const ownNames = new Map<string, A.Ident>();
  for (const it of items) {
    if (it.kind !== 'neuron' && it.kind !== 'synapse') continue;
    const prev = ownNames.get(it.name.name);
    if (prev) {
      cx.err(it.name, `'${it.name.name}' is already defined (line ${cx.lineOf(prev.start)})`, 'duplicate');
      continue;
    }
    ownNames.set(it.name.name, it.name);
    const existing = cx.models.get(it.name.name);
    if (existing && existing.uri !== uri && !cx.isPreludeModel(existing)) {
      cx.err(it.name, `'${it.name.name}' is already defined in an imported file`, 'duplicate');
    }
    const info = checkModel(cx, it);
    cx.own.push(info);
    cx.models.set(it.name.name, info);
    modelsSet.push([it.name.name, info]);
  }
}
