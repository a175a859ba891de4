// Completion: decides from the item around the cursor and the text before it what fits there.
import type * as A from '../ast';
import type { FileAnalysis, ModelInfo } from '../checker';
import { MODEL_SECTIONS, TOP_LEVEL_KEYWORDS } from '../parser';
import {
  BUILTIN_NAMES, CONCEPT, CONSTANTS, CONNECT, DISTRIBUTIONS, SEGMENTS, FUNCTIONS, INPUT_KINDS, METHODS, POPULATION, READOUT_KINDS, RULES, SIMULATE,
  TARGET_KINDS, TASK, type Schema,
} from '../schema';
import { COMMON_UNITS, dimName, formatQuantity, lookupUnit, preferredUnit } from '../units';
import { docMarkdown } from './hover';
import { itemAt } from './locate';

export type ItemKind = 'keyword' | 'model' | 'parameter' | 'state' | 'alias' | 'property' | 'population' | 'unit' | 'function' | 'value' | 'snippet';

export interface Completion {
  label: string;
  kind: ItemKind;
  detail?: string;
  doc?: string;
  insertText?: string;
  snippet?: boolean;
  sortText?: string;
}

const TOP_SNIPPETS: Record<string, string> = {
  neuron: 'neuron ${1:Name} {\n  parameters {\n    ${2:tau_m = 20 ms}\n  }\n  state {\n    ${3:v: mV = -70 mV}\n  }\n  equations {\n    ${4:dv/dt = (-70 mV - v) / tau_m}\n  }\n  spike when ${5:v > -50 mV}\n  reset { ${6:v = -70 mV} }\n}',
  synapse: 'synapse ${1:Name} {\n  on_pre { ${2:target += w} }\n}',
  population: 'population ${1:name} = ${2:LIF}[${3:100}] {\n  $0\n}',
  connect: 'connect ${1:src} -> ${2:dst} {\n  rule: ${3:random(p = 0.1)}\n  weight: ${4:1 mV}\n  target: ${5:v}\n}',
  input: 'input ${1:ext} = ${2|poisson,spike_array,event_file,current_step|}[${3:100}] {\n  $0\n}',
  probe: 'probe ${1:spikes}(${2:pop})',
  simulate: 'simulate { dt: ${1:0.1 ms}; duration: ${2:1 s}; seed: ${3:1}; backend: ${4|auto,wasm,webgpu|} }',
  task: 'task ${1:name} {\n  stimulus: ${2:input}\n  window ${3:0 ms .. 100 ms}: "${4:A}"\n}',
  concept: 'concept ${1:name} { stimulus: ${2:input}; during: ${3:0 ms .. 100 ms}; description: "${4:what it is}" }',
  readout: 'readout ${1:name} = ridge { from: ${2:pop}; bin: ${3:10 ms} }',
  target: 'target ${1:chip} = ${2|loihi2,spinnaker2,memristor,sfq|} { weight_bits: ${3:8} }',
  import: 'import "${1:file.snn}"',
  model: 'model ${1:name}',
};

export function complete(a: FileAnalysis, offset: number): Completion[] {
  const text = a.file.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const item = itemAt(a.file, offset) ?? unclosedItemBefore(a.file, offset);
  // After a number: units.
  if (/(^|[^A-Za-z_\d.])\d+(\.\d*)?([eE][-+]?\d+)?\s+[A-Za-z]*$/.test(before) && !/\b(when|every)\s+[A-Za-z]*$/.test(before)) return units();
  // Right after `population NAME = ` (or input/readout/target): the parser may have no item yet.
  const head = /^\s*(population|input|readout|target)\s+[A-Za-z_]\w*\s*=\s*[A-Za-z_]*$/.exec(before);
  if (head) {
    if (head[1] === 'population') return models(a, 'neuron');
    return kinds(head[1] === 'input' ? INPUT_KINDS : head[1] === 'readout' ? READOUT_KINDS : TARGET_KINDS);
  }
  const inBody = item && 'bodyStart' in item && item.bodyStart !== undefined && offset > item.bodyStart;
  if (!item || !inBody) {
    if (item?.kind === 'population' && /=\s*[A-Za-z_]*$/.test(before)) return models(a, 'neuron');
    if (item?.kind === 'input' && /=\s*[A-Za-z_]*$/.test(before)) return kinds(INPUT_KINDS);
    if (item?.kind === 'readout' && /=\s*[A-Za-z_]*$/.test(before)) return kinds(READOUT_KINDS);
    if (item?.kind === 'target' && /=\s*[A-Za-z_]*$/.test(before)) return kinds(TARGET_KINDS);
    if (item?.kind === 'connect' || item?.kind === 'probe') return network(a, ['population', 'input', 'connection']);
    if (/^\s*[A-Za-z_]*$/.test(before)) return topLevel();
    return [];
  }
  switch (item.kind) {
    case 'neuron':
    case 'synapse':
      return inModel(a, item, offset, before);
    case 'population':
      return inPopulation(a, item, before);
    case 'connect':
      return inConnect(a, item, before, offset);
    case 'input': {
      const spec = item.type ? INPUT_KINDS[item.type.name] : undefined;
      return inBlock(a, spec?.schema ?? {}, before);
    }
    case 'readout':
      return inBlock(a, (item.type && READOUT_KINDS[item.type.name]?.schema) || {}, before);
    case 'target':
      return inBlock(a, (item.type && TARGET_KINDS[item.type.name]?.schema) || {}, before);
    case 'simulate':
      return inBlock(a, SIMULATE, before);
    case 'concept':
      return inBlock(a, CONCEPT, before);
    case 'task': {
      const r = inBlock(a, TASK, before);
      if (/^\s*[A-Za-z_]*$/.test(before)) r.push({ label: 'window', kind: 'keyword', insertText: 'window ${1:0 ms} .. ${2:100 ms}: "${3:label}"', snippet: true, detail: 'a labelled time window (labels: "A", feature = value, epoch = delay)' });
      return r;
    }
  }
  return [];
}

/** When typing right after an unclosed block, the parser may have ended the item early. */
function unclosedItemBefore(file: A.SnnFile, offset: number): A.Item | undefined {
  let last: A.Item | undefined;
  for (const it of file.items) if (it.start <= offset) last = it;
  if (!last || !('bodyStart' in last) || last.bodyStart === undefined) return undefined;
  const body = file.text.slice(last.bodyStart, offset);
  let depth = 0;
  for (const ch of body) {
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
  }
  return depth > 0 ? last : undefined;
}

function topLevel(): Completion[] {
  return TOP_LEVEL_KEYWORDS.map((k) => ({ label: k, kind: 'keyword' as const, insertText: TOP_SNIPPETS[k] ?? k, snippet: !!TOP_SNIPPETS[k], detail: 'definition' }));
}

function units(): Completion[] {
  return COMMON_UNITS.map((u, k) => {
    const info = lookupUnit(u)!;
    return { label: u, kind: 'unit' as const, detail: `${info.name}${info.scale !== 1 ? ` × ${info.scale}` : ''} (${dimName(info.dim)})`, sortText: String(k).padStart(3, '0') };
  });
}

function kinds(table: Record<string, { doc: string }>): Completion[] {
  return Object.entries(table).map(([k, v]) => ({ label: k, kind: 'value' as const, doc: v.doc }));
}

function models(a: FileAnalysis, kind: 'neuron' | 'synapse'): Completion[] {
  return [...a.models.values()].filter((m) => m.def.kind === kind).map((m) => ({ label: m.def.name.name, kind: 'model' as const, detail: `${kind} model`, doc: m.def.doc === undefined ? undefined : docMarkdown(m.def.doc) }));
}

function network(a: FileAnalysis, kinds: string[]): Completion[] {
  return [...a.network.values()].filter((n) => kinds.includes(n.kind)).map((n) => ({ label: n.sym.name, kind: 'population' as const, detail: n.sym.detail }));
}

function varCompletions(m: ModelInfo, filter: (k: string) => boolean, assign: boolean): Completion[] {
  const out: Completion[] = [];
  for (const v of m.vars.values()) {
    if (!filter(v.kind)) continue;
    const unit = v.dim ? preferredUnit(v.dim)?.symbol : undefined;
    const dflt = v.value !== undefined && v.dim ? formatQuantity(v.value, v.dim) : undefined;
    out.push({
      label: v.sym.name,
      kind: v.kind,
      detail: `${v.kind === 'alias' ? 'named expression' : v.kind} of ${m.def.name.name}${v.dim ? ` · ${unit && unit !== '1' ? unit : dimName(v.dim)}` : ''}${dflt !== undefined ? ` · default ${dflt}` : v.required ? ' · required' : ''}`,
      doc: v.sym.doc === undefined ? undefined : docMarkdown(v.sym.doc),
      insertText: assign ? `${v.sym.name} = ` : undefined,
      sortText: `${v.required ? '0' : v.kind === 'parameter' ? '1' : '2'}${v.sym.name}`,
    });
  }
  return out;
}

function expressionNames(m: ModelInfo | undefined): Completion[] {
  const out: Completion[] = m ? varCompletions(m, () => true, false) : [];
  for (const [k, v] of Object.entries(BUILTIN_NAMES)) out.push({ label: k, kind: 'value', detail: `built-in · ${dimName(v.dim)}`, doc: v.doc });
  for (const [k, v] of Object.entries(CONSTANTS)) if (!m?.vars.has(k)) out.push({ label: k, kind: 'value', detail: 'constant', doc: v.doc });
  for (const [k, v] of Object.entries(FUNCTIONS)) out.push({ label: k, kind: 'function', detail: 'function', doc: v.doc, insertText: `${k}($1)`, snippet: true });
  if (m?.def.kind === 'synapse') {
    out.push({ label: 'w', kind: 'value', detail: 'synaptic weight' }, { label: 'target', kind: 'value', detail: 'postsynaptic target variable' });
    for (const p of ['pre', 'post', 'mod']) out.push({ label: p, kind: 'value', detail: `${p}.x reads a variable of the ${p === 'mod' ? 'modulating' : p + 'synaptic'} neuron` });
  }
  return out;
}

function inModel(a: FileAnalysis, def: A.ModelDef, offset: number, before: string): Completion[] {
  const m = a.models.get(def.name.name);
  const sec = def.sections.find((s) => s.start <= offset && offset <= s.end);
  if (sec?.keyword.name === 'compartments' && def.compartments) return inCompartments(m, def.compartments, offset, before);
  if (/^\s*method\s+[A-Za-z_]*$/.test(before)) return METHODS.map((x) => ({ label: x, kind: 'value' as const }));
  if (!sec && /^\s*[A-Za-z_]*$/.test(before)) {
    return MODEL_SECTIONS.filter((s) => def.kind === 'synapse' ? !['spike', 'reset', 'refractory'].includes(s) : !['on_pre', 'on_post', 'summed'].includes(s)).map((s) => ({
      label: s, kind: 'keyword' as const,
      insertText: s === 'spike' ? 'spike when ${1:v > V_th}' : ['method', 'refractory'].includes(s) ? `${s} ` : `${s} {\n  $0\n}`,
      snippet: s !== 'method' && s !== 'refractory',
    }));
  }
  const refractory = refractoryCompletions(m, before);
  if (refractory) return refractory;
  if (sec && (sec.keyword.name === 'parameters' || sec.keyword.name === 'state') && /^\s*[A-Za-z_]*$/.test(before)) return [];
  if (sec && (sec.keyword.name === 'parameters' || sec.keyword.name === 'state') && /:\s*[A-Za-z]*$/.test(before)) return units();
  return expressionNames(m);
}

/** Inside `compartments { … }`: compartments and couplings, their sections, and in a compartment's equations its own names unprefixed (and I_axial). */
function inCompartments(m: ModelInfo | undefined, comp: A.CompartmentsDef, offset: number, before: string): Completion[] {
  const names = comp.list.map((c) => c.name.name);
  if (/^\s*couple\b[^{]*$/.test(before)) return names.map((n) => ({ label: n, kind: 'value' as const, detail: 'compartment' }));
  const cp = comp.couplings.find((x) => x.keyword.end < offset && offset <= x.end);
  if (cp || /^\s*couple\b.*\{[^}]*$/.test(before)) {
    return /:\s*[^;]*$/.test(before) ? [] : [{ label: 'g', kind: 'property', detail: 'axial conductance', doc: 'The conductance between the two compartments (a constant, e.g. 10 nS or g_c * area).', insertText: 'g: ' }];
  }
  const c = comp.list.find((x) => x.start < offset && offset <= x.end);
  if (!c) {
    if (!/^\s*[A-Za-z_]*$/.test(before)) return [];
    return [
      { label: 'couple', kind: 'keyword', detail: 'couple a, b { g: … }', doc: 'An axial conductance between two compartments.', insertText: 'couple ${1:soma}, ${2:dend} { g: ${3:10 nS} }', snippet: true },
      { label: 'compartment', kind: 'keyword', detail: 'name { parameters state equations }', insertText: '${1:dend} {\n  parameters { C_m = ${2:50 pF}; g_l = ${3:2.5 nS} }\n  state { v: mV = ${4:-70 mV} }\n  equations { dv/dt = (g_l*(${5:-70 mV} - v) + I_axial) / C_m }\n}', snippet: true },
    ];
  }
  const sec = c.sections.find((s) => s.keyword.end < offset && offset <= s.end);
  if (!sec) return /^\s*[A-Za-z_]*$/.test(before) ? ['parameters', 'state', 'equations'].map((s) => ({ label: s, kind: 'keyword' as const, insertText: `${s} {\n  $0\n}`, snippet: true })) : [];
  if (sec.keyword.name !== 'equations' && /^\s*[A-Za-z_]*$/.test(before)) return [];
  if (sec.keyword.name !== 'equations' && /:\s*[A-Za-z]*$/.test(before)) return units();
  const prefix = `${c.name.name}_`;
  return [
    ...expressionNames(m).map((x) => (x.label.startsWith(prefix) ? { ...x, label: x.label.slice(prefix.length), insertText: undefined } : x)),
  ].map((x) => (x.label === 'I_axial' ? { ...x, detail: `axial current into ${c.name.name} (Σ g·(v_other − v))` } : x));
}

/** Values from a column of a CSV file (LANGUAGE.md "Values from a file"). */
const FROM_FILE: Completion = {
  label: 'from_file', kind: 'function', detail: 'values from a file',
  doc: 'One value per neuron (or synapse) from a column of a CSV file: from_file("data.csv", column = "name", unit = ms). The path is relative to this file; the first row names the columns.',
  insertText: 'from_file("${1:data.csv}", column = "${2:name}", unit = ${3:ms})', snippet: true,
};

/** Another population's variable read every step (LANGUAGE.md "Linked variables"). */
const LINKED: Completion = {
  label: 'linked', kind: 'function', detail: "another population's variable",
  doc: "Sets a parameter from another population's state variable or parameter at the start of every step (Brian2's linked_var): linked(drive.v) — the source has one neuron or as many as this population — or linked(drive.v, index = i / 10) (neuron ⌊index⌋ of the source).",
  insertText: 'linked(${1:population}.${2:v})', snippet: true,
};

/** In `refractory …`: `when` first, `holding [` after the period or condition, held variables inside the list. */
function refractoryCompletions(m: ModelInfo | undefined, before: string): Completion[] | undefined {
  if (!/^\s*refractory\b/.test(before)) return undefined;
  if (/\bholding\s*\[[^\]]*$/.test(before)) {
    const odes = new Set(m?.def.equations.flatMap((e) => (e.kind === 'ode' ? [e.variable.name] : [])));
    return m ? varCompletions(m, (k) => k === 'state', false).filter((c) => odes.has(c.label)) : [];
  }
  if (/^\s*refractory:?\s+[A-Za-z_]*$/.test(before)) {
    return [{ label: 'when', kind: 'keyword', detail: 'refractory when <condition>', doc: 'Refractory after a spike until the condition is false (Brian2: a boolean `refractory`).' }, ...expressionNames(m)];
  }
  if (/\S\s+[A-Za-z_]*$/.test(before) && !/\bwhen\s+[A-Za-z_]*$/.test(before)) {
    return [{ label: 'holding', kind: 'keyword', detail: 'holding [variables]', doc: 'The state variables held while refractory (`holding []`: none; default: those reset assigns).', insertText: 'holding [$1]', snippet: true }, ...expressionNames(m)];
  }
  return undefined;
}

function inPopulation(a: FileAnalysis, p: A.PopulationDef, before: string): Completion[] {
  const m = a.models.get(p.model.name);
  const key = /^\s*([A-Za-z_]\w*)\s*:\s*[A-Za-z_]*$/.exec(before);
  if (key) return key[1] === 'layout' ? ['ring', 'line', 'grid(rows = ${1:10}, cols = ${2:10})'].map((x) => ({ label: x.replace(/\$\{\d:(\d+)\}/g, '$1'), kind: 'value' as const, insertText: x, snippet: x.includes('$') })) : [];
  // linked(pop.var): populations, then that population's state variables and parameters.
  const linkVar = /\blinked\(\s*([A-Za-z_]\w*)\.[A-Za-z_]*$/.exec(before);
  if (linkVar) {
    const src = a.network.get(linkVar[1]);
    return src?.kind === 'population' && src.model ? varCompletions(src.model, (k) => k !== 'alias', false) : [];
  }
  if (/\blinked\(\s*[A-Za-z_]*$/.test(before)) return network(a, ['population']).filter((c) => c.label !== p.name.name);
  if (/=\s*[A-Za-z_]*$/.test(before)) return [...Object.entries(DISTRIBUTIONS).map(([k, v]) => ({ label: k, kind: 'function' as const, doc: v.doc, insertText: `${k}(${v.params.map((x, i) => `\${${i + 1}:${x}}`).join(', ')})`, snippet: true })), FROM_FILE, LINKED];
  if (!/^\s*[A-Za-z_]*$/.test(before)) return [];
  const out = m ? varCompletions(m, (k) => k !== 'alias', true) : [];
  for (const [k, spec] of Object.entries(POPULATION)) out.push({ label: k, kind: 'property', detail: 'property', doc: spec.doc, insertText: `${k}: ` });
  // Scheduled operations (LANGUAGE.md, Network).
  out.push({ label: 'every', kind: 'keyword', detail: 'run statements every interval', insertText: 'every ${1:10 ms} { ${2:I_e = 100 pA * rand()} }', snippet: true });
  out.push({ label: 'at', kind: 'keyword', detail: 'run statements at given times', insertText: 'at ${1:200 ms} { ${2:I_e = 0.5 nA} }', snippet: true });
  return out;
}

function inConnect(a: FileAnalysis, c: A.ConnectDef, before: string, offset: number): Completion[] {
  // Inside `segments: { … }`: its own keys (the values are numbers and times).
  const seg = c.props.find((p) => p.key.name === 'segments' && p.props && p.value.start < offset && offset < p.value.end);
  if (seg || /segments\s*:\s*\{[^}]*$/.test(before)) {
    const line = before.slice(before.lastIndexOf('{') + 1);
    if (/:\s*[^;]*$/.test(line)) return [];
    return schemaKeys(SEGMENTS, [...(seg?.props?.map((p) => p.key.name) ?? []), ...[...line.matchAll(/([A-Za-z_]\w*)\s*:/g)].map((m) => m[1])]);
  }
  const key = /^\s*(?:.*;\s*)?([A-Za-z_]\w*)\s*:\s*([A-Za-z_]*)$/.exec(before) ?? /[{;]\s*([A-Za-z_]\w*)\s*:\s*([A-Za-z_]*)$/.exec(before);
  const targetModels = c.targets
    .map((t) => a.network.get(t.name.name))
    .map((n) => (n?.kind === 'population' ? n.model : undefined))
    .filter((m): m is ModelInfo => !!m);
  if (key) {
    switch (key[1]) {
      case 'rule':
        return Object.entries(RULES).map(([k, r]) => ({
          label: k, kind: 'function' as const, doc: r.doc,
          insertText: k === 'where' ? 'where(${1:j == (i + 1) % N_post})' : r.args.length ? `${k}(${r.args.map((x, i) => `${x.name} = \${${i + 1}}`).join(', ')})` : k, snippet: r.args.length > 0,
        }));
      case 'target':
        return targetModels[0] ? varCompletions(targetModels[0], (k) => k === 'state', false) : [];
      case 'synapse':
        return models(a, 'synapse');
      case 'modulated_by':
        return network(a, ['population']);
      case 'autapses':
        return ['true', 'false'].map((x) => ({ label: x, kind: 'value' as const }));
      case 'weight':
      case 'delay':
        return [...Object.entries(DISTRIBUTIONS).map(([k, v]) => ({ label: k, kind: 'function' as const, doc: v.doc, insertText: `${k}($1)`, snippet: true })), FROM_FILE];
      case 'on_pre':
      case 'on_post':
        return [...(targetModels[0] ? varCompletions(targetModels[0], (k) => k === 'state', false) : []), { label: 'w', kind: 'value', detail: 'synaptic weight' }];
    }
    return [];
  }
  return schemaKeys(CONNECT, c.props.map((p) => p.key.name));
}

function schemaKeys(schema: Schema, present: string[]): Completion[] {
  return Object.entries(schema)
    .filter(([k]) => !present.includes(k))
    .map(([k, spec]) => ({ label: k, kind: 'property' as const, detail: spec.required ? 'required' : 'optional', doc: spec.doc, insertText: `${k}: `, sortText: `${spec.required ? 0 : 1}${k}` }));
}

function inBlock(a: FileAnalysis, schema: Schema, before: string): Completion[] {
  const key = /(?:^|[{;])\s*([A-Za-z_]\w*)\s*:\s*([A-Za-z_]*)$/.exec(before);
  if (key) {
    const spec = schema[key[1]];
    if (!spec) return [];
    const v = spec.value;
    if (v.kind === 'enum') return v.values.map((x) => ({ label: x, kind: 'value' as const }));
    if (v.kind === 'ref') return network(a, [v.to]);
    if (v.kind === 'bool') return ['true', 'false'].map((x) => ({ label: x, kind: 'value' as const }));
    if (v.kind === 'selectorVariable') return network(a, ['population']);
    return [];
  }
  return schemaKeys(schema, []);
}
