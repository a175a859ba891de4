// Hover: what a name is (kind, dimension, value in SI), units of literals, docs of keywords.
import type { FileAnalysis } from '../checker';
import { walk } from '../checker';
import { unitOf } from '../expressions';
import { CONNECT, CONSTANTS, FUNCTIONS, DISTRIBUTIONS, RULES, SEGMENTS, SIMULATE, BUILTIN_NAMES, TARGET_KINDS } from '../schema';
import { CONDITION_NAMES } from '../check/index-rule';
import type { Sym } from '../symbols';
import { dimName, fmt, formatQuantity, preferredUnit } from '../units';
import { symbolAt } from './locate';
import { escapeMarkdown } from '../../../protocol/plain-text';
import { referenceLink, sectionForWord } from '../reference-links';

/**
 * A doc comment (model text) as Markdown that cannot link: `code spans` stay (Markdown shows
 * their content literally), everything else is escaped, so `[x](command:…)` is plain text.
 */
export function docMarkdown(doc: string): string {
  return doc
    .split(/(`[^`\n]+`)/)
    .map((part, k) => (k % 2 === 1 ? part : escapeMarkdown(part)))
    .join('');
}

/** Model text in a fenced code block, the fence longer than any run of backticks inside it. */
export function codeBlock(text: string, lang = 'snn'): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Model text as an inline code span (the delimiter longer than any backtick run inside). */
function codeSpan(text: string): string {
  const t = text.replace(/\n/g, ' ');
  if (!t.includes('`')) return `\`${t}\``;
  const tick = '`'.repeat(Math.max(...(t.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  return `${tick} ${t} ${tick}`;
}

const KEYWORD_DOCS: Record<string, string> = {
  neuron: 'Defines a neuron model: parameters, state, equations, spike condition, reset, refractory period.',
  synapse: 'Defines a synapse model: what a presynaptic (on_pre) and postsynaptic (on_post) spike does, plasticity.',
  population: 'A group of neurons of one model: `population name = Model[size] { initial values }`.',
  connect: 'Synapses between populations: rule, weight, delay, target variable, synapse model.',
  input: 'A stimulus: poisson, spike_array, event_file (spike sources) or current_step (drives a variable).',
  probe: 'Records spikes or a variable during the run: `probe v(exc[0..9]) every 1 ms`.',
  simulate: 'How to run: dt, duration, seed, backend, threads.',
  task: 'Named stimulus windows with labels (`"A"`, `feature = value`, `epoch = delay`), used by readouts, the circuit analyses and Describe Neurons.',
  concept: 'Annotates a stimulus window with a concept, for neuron descriptions.',
  target: 'Neuromorphic hardware emulation settings (loihi2, spinnaker2, memristor, sfq).',
  readout: 'A readout trained on the network activity (ridge) or loaded from an ONNX file.',
  import: 'Brings the neuron and synapse models of another .snn file into scope.',
  model: 'Names the model.',
  parameters: 'Constants of the model, with units. `name: unit` without a default must be set by each population.',
  state: 'State variables with their unit and initial value.',
  equations: 'Differential equations `dx/dt = ...` and named expressions `name = ...`.',
  spike: '`spike when <condition>`: when the neuron emits a spike.',
  reset: 'Statements applied after a spike.',
  refractory: 'After a spike the neuron cannot spike: `refractory 2 ms` for a period, `refractory when v > -40 mV` until the condition is false (checked at the start of each step). The variables `reset` assigns are held meanwhile unless `holding [...]` names others (`holding []`: none).',
  holding: '`refractory 2 ms holding [v, w]`: the state variables held (not integrated, synaptic input to them dropped) while refractory; `holding []` blocks spiking only. Without it, the variables `reset` assigns are held. Brian2: `(unless refractory)` on those equations.',
  method: 'Integration method: exact (linear equations), exponential (exponential Euler with function calls held over the step), euler, rk2, rk4.',
  on_pre: 'Statements run when a presynaptic spike arrives.',
  on_post: 'Statements run when the postsynaptic neuron spikes.',
  summed: '`summed { target = expr }`: every step, before the neurons are integrated, the connection\'s target variable of each postsynaptic neuron is set to the sum of expr over its synapses (gap junctions, nonlinear synapses; Brian2\'s `(summed)`).',
  compartments: 'Multicompartment neuron: `compartments { soma { parameters state equations } dend { … } couple soma, dend { g: 10 nS } }`. Each compartment needs a membrane potential `v` and a capacitance; its equations read its axial current as `I_axial`. Outside a compartment its names are flattened: `soma_v`, `dend_Ca`. dt is checked against the stability bound of the passive cable (euler/rk2: 2/|λ|, rk4: 2.785/|λ|).',
  couple: '`couple a, b { g: 10 nS }`: an axial conductance g between two compartments; each gets g·(v_other − v) in its `I_axial`.',
  every: 'In a population: `every 10 ms { I_e = 100 pA * rand() }` runs the statements on each neuron at t = 0, 10 ms, 20 ms, … (at the start of the step, before the state update; Brian2\'s `run_regularly`). In a probe: the sampling interval.',
  linked: "In a population: `I_mod = linked(drive.v)` sets the parameter I_mod of every neuron, at the start of each step, to population drive's v (drive of one neuron, or as many as this population: neuron i), or with `linked(drive.v, index = i / 10)` to neuron ⌊index⌋ of drive; start-of-step values, whatever the order the populations are integrated in (Brian2's `linked_var`).",
  at: 'In a population: `at 200 ms { I_e = 0.5 nA }` or `at [100 ms, 300 ms] { … }` runs the statements on each neuron once at each given time (at the start of that step, before the state update).',
};

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
}

export function describeSym(s: Sym): string {
  const lines: string[] = [];
  const dim = s.dim ? dimName(s.dim) : undefined;
  const unit = s.dim ? preferredUnit(s.dim)?.symbol : undefined;
  let head: string;
  switch (s.kind) {
    case 'parameter':
    case 'state':
    case 'alias': {
      const word = s.kind === 'alias' ? 'named expression' : s.kind;
      const val = s.value !== undefined && s.dim ? ` = ${formatQuantity(s.value, s.dim)}` : '';
      head = `${word} ${s.container}.${s.name}${unit && unit !== '1' ? `: ${unit}` : ''}${val}`;
      break;
    }
    default:
      head = s.detail ?? `${s.kind} ${s.name}`;
  }
  lines.push(codeBlock(head));
  if (s.doc) lines.push(docMarkdown(s.doc));
  if (s.dim) {
    const si = s.value !== undefined ? ` · SI value ${fmt(s.value)}` : '';
    lines.push(`*dimension:* ${dim}${si}`);
  }
  return lines.join('\n\n');
}

/**
 * `reference`: the URI of LANGUAGE.md (reference-links.ts); hovers on keywords, properties,
 * functions and rules then end with a link to its section. Names and doc comments from models
 * never become links (describeSym escapes them).
 */
export function hover(a: FileAnalysis, offset: number, reference?: string): HoverResult | undefined {
  const hit = symbolAt(a, offset);
  if (hit) return { markdown: describeSym(hit.sym), start: hit.span.start, end: hit.span.end };
  const comp = compartmentAt(a, offset);
  if (comp) return comp;
  // Number literals with units.
  for (const lit of literals(a)) {
    if (lit.start <= offset && offset <= lit.end && lit.unit) {
      const u = unitOf(lit.unit, undefined);
      if (!u) return undefined;
      const si = lit.value * u.scale;
      return { markdown: `${codeSpan(a.file.text.slice(lit.start, lit.end))} = ${fmt(si)} in SI base units\n\n*dimension:* ${dimName(u.dim)}`, start: lit.start, end: lit.end };
    }
  }
  // Keywords, property keys, functions, rules.
  const text = a.file.text;
  let s = offset;
  let e = offset;
  while (s > 0 && /\w/.test(text[s - 1])) s--;
  while (e < text.length && /\w/.test(text[e])) e++;
  const word = text.slice(s, e);
  if (!word) return undefined;
  const found: [string | undefined, 'keyword' | 'property' | 'function' | 'rule'][] = [
    [KEYWORD_DOCS[word], 'keyword'],
    [CONNECT[word]?.doc ?? SIMULATE[word]?.doc ?? (SEGMENTS[word] && `segments \`${word}\`: ${SEGMENTS[word].doc}`) ?? (Object.hasOwn(TARGET_KINDS.loihi2.schema, word) ? `target \`${word}\`: ${TARGET_KINDS.loihi2.schema[word].doc}` : undefined) ?? (Object.hasOwn(TARGET_KINDS.sfq.schema, word) ? `target sfq \`${word}\`: ${TARGET_KINDS.sfq.schema[word].doc}` : undefined), 'property'],
    [(FUNCTIONS[word] && `\`${word}()\`: ${FUNCTIONS[word].doc}`) ?? (DISTRIBUTIONS[word] && `\`${word}()\`: ${DISTRIBUTIONS[word].doc}`), 'function'],
    [RULES[word] && `rule \`${word}\`: ${RULES[word].doc}`, 'rule'],
    [BUILTIN_NAMES[word] && `\`${word}\`: ${BUILTIN_NAMES[word].doc} (${dimName(BUILTIN_NAMES[word].dim)})`, 'function'],
    [Object.hasOwn(CONSTANTS, word) ? `\`${word}\`: ${CONSTANTS[word].doc}` : undefined, 'function'],
    [word !== 'i' && Object.hasOwn(CONDITION_NAMES, word) ? `\`${word}\` (in a connection's \`where\` condition): ${CONDITION_NAMES[word]} (dimensionless)` : undefined, 'rule'],
  ];
  const hit2 = found.find(([d]) => d);
  if (!hit2) return undefined;
  const [doc, kind] = hit2;
  const link = reference ? `\n\n${referenceLink(reference, sectionForWord(word, kind))}` : '';
  return { markdown: `${doc}${link}`, start: s, end: e };
}

/** A compartment's name (where it is defined or in a `couple`): its variables and couplings. */
function compartmentAt(a: FileAnalysis, offset: number): HoverResult | undefined {
  for (const it of a.file.items) {
    if (it.kind !== 'neuron' || !it.compartments || offset < it.compartments.start || offset > it.compartments.end) continue;
    const comp = it.compartments;
    const ids = [...comp.list.map((c) => c.name), ...comp.couplings.flatMap((cp) => [cp.a, cp.b])];
    const id = ids.find((x) => x && x.start <= offset && offset <= x.end);
    if (!id) return undefined;
    const c = comp.list.find((x) => x.name.name === id.name);
    if (!c) return undefined;
    const m = a.models.get(it.name.name);
    const links = comp.couplings.filter((cp) => cp.a?.name === c.name.name || cp.b?.name === c.name.name).map((cp) => {
      const other = cp.a?.name === c.name.name ? cp.b?.name : cp.a?.name;
      const g = cp.param ? m?.vars.get(cp.param) : undefined;
      return `${other} (g = ${g?.value !== undefined && g.dim ? formatQuantity(g.value, g.dim) : '?'})`;
    });
    const lines = [codeBlock(`compartment ${it.name.name}.${c.name.name}`)];
    lines.push(`variables (outside the compartment): ${c.locals.map((n) => codeSpan(`${c.name.name}_${n}`)).join(', ')}, ${codeSpan(`${c.name.name}_I_axial`)}`);
    lines.push(links.length ? `coupled to ${links.join(', ')}` : 'coupled to no other compartment');
    return { markdown: lines.join('\n\n'), start: id.start, end: id.end };
  }
  return undefined;
}

function* literals(a: FileAnalysis) {
  // Walk every expression in the file looking for number literals (hover only; not hot).
  const exprs: import('../ast').Expr[] = [];
  for (const it of a.file.items) collectExprs(it, exprs);
  for (const root of exprs) {
    const found: import('../ast').NumberLit[] = [];
    walk(root, (e) => {
      if (e.kind === 'number') found.push(e);
    });
    yield* found;
  }
}

export function collectExprs(node: unknown, out: import('../ast').Expr[]): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (typeof n.kind === 'string' && ['number', 'string', 'bool', 'name', 'binary', 'unary', 'call', 'member', 'index', 'list', 'range', 'error'].includes(n.kind as string) && 'start' in n) {
    out.push(node as import('../ast').Expr);
    return;
  }
  for (const v of Object.values(n)) {
    if (Array.isArray(v)) v.forEach((x) => collectExprs(x, out));
    else if (v && typeof v === 'object') collectExprs(v, out);
  }
}
