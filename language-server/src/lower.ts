// Lowering a checked file to the model IR (protocol/ir.ts). Only files without errors lower:
// the engine never sees a model the checker rejects.
import type {
  AssignTargetIR, ConnectionIR, DimIR, ExprIR, InputIR, ModelDefIR, ModelIR, PopulationIR, ProbeIR, RuleIR, SelectorIR, StatementIR, ValueIR, ScheduleIR, LinkIR,
} from '../../protocol/ir';
import { IR_VERSION } from '../../protocol/ir';
import type * as A from './ast';
import { layoutOf, noiseRefs, walk, type FileAnalysis, type ModelInfo } from './checker';
import { Severity, type Diagnostic } from './diagnostics';
import { ExprChecker, literalValue, type Env, type Ty } from './expressions';
import type { Program } from './program';
import { CONSTANTS, DEFAULT_SIMULATE, DEFAULT_SPACING, RULES, TARGET_KINDS } from './schema';
import { listValues, valueIR, type TypedValues } from './value-ir';
import { DIMENSIONLESS, type Dim } from './units';
import { degreeIn } from './linearity';
import { perNeuronValues, usesNeuronIndex } from './per-neuron';
import { conditionIR } from './check/index-rule';
import { pathwaysOf } from './check/pathways';
import { linkArgs, linkedCall, linkIndex } from './check/linked';

export type LowerResult = { ok: true; ir: ModelIR } | { ok: false; errors: { uri: string; diagnostics: Diagnostic[] }[] };

const BIN: Record<string, ExprIR['op']> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'remainder', '^': 'pow', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne', and: 'and', or: 'or',
};

export { DEFAULT_SIMULATE };

export function lower(program: Program, uri: string): LowerResult {
  const a = program.analyze(uri);
  const errors: { uri: string; diagnostics: Diagnostic[] }[] = [];
  const own = a.diagnostics.filter((d) => d.severity === Severity.Error);
  if (own.length) errors.push({ uri, diagnostics: own });
  for (const imp of a.imports) {
    if (!imp.uri || program.getText(imp.uri) === undefined) continue;
    const e = program.analyze(imp.uri).diagnostics.filter((d) => d.severity === Severity.Error);
    if (e.length) errors.push({ uri: imp.uri, diagnostics: e });
  }
  if (errors.length) return { ok: false, errors };
  const lowerer = new Lowerer(program, a);
  const ir = lowerer.run();
  if (lowerer.internalErrors.length) return { ok: false, errors: [{ uri, diagnostics: lowerer.internalErrors }] };
  // The IR schema has no NaN or infinity (JSON would write null): never hand one on.
  const bad = nonFinitePath(ir);
  if (bad) {
    const message = `internal: the model IR would hold a value that is not a finite number (at ${bad}); nothing is lowered`;
    return { ok: false, errors: [{ uri, diagnostics: [{ start: 0, end: 0, severity: Severity.Error, code: 'not-finite', message }] }] };
  }
  return { ok: true, ir };
}

/** The path (e.g. `populations[0].init.v.value`) of the first NaN/±Infinity in a value, if any. */
export function nonFinitePath(root: unknown): string | undefined {
  const stack: { v: unknown; path: string }[] = [{ v: root, path: 'ir' }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return path;
    } else if (Array.isArray(v)) {
      for (let k = v.length - 1; k >= 0; k--) {
        const x: unknown = v[k];
        if (typeof x === 'number') {
          if (!Number.isFinite(x)) return `${path}[${k}]`;
        } else stack.push({ v: x, path: `${path}[${k}]` });
      }
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let k = entries.length - 1; k >= 0; k--) stack.push({ v: entries[k][1], path: `${path}.${entries[k][0]}` });
    }
  }
  return undefined;
}

function dimIR(d: Dim | null | undefined): DimIR {
  const x = d ?? DIMENSIONLESS;
  return [x[0], x[1], x[2], x[3], x[4], x[5], x[6]];
}

class Lowerer {
  private ex = new ExprChecker({ diag: () => undefined, ref: () => undefined });
  private models: Record<string, ModelDefIR> = {};

  private readonly typed: TypedValues;

  constructor(private program: Program, private a: FileAnalysis) {
    this.typed = { ty: (e) => this.ty(e), types: a.types, fileValues: a.fileValues };
  }

  private constEnv(allowDist = true): Env {
    return { context: '', allowDist, lookup: () => undefined, names: () => [] };
  }
  /** The checker's type of `e` (its side table); parts of expressions it typed as a whole are typed here. */
  private ty(e: A.Expr): Ty {
    return this.a.types.get(e) ?? this.ex.check(e, this.constEnv());
  }
  private value(e: A.Expr): ValueIR {
    const v = valueIR(this.typed, e);
    if (v.kind === 'const' && this.ty(e).value === undefined) this.internal(e, 'this value has no constant value');
    if (v.kind === 'list' && e.kind === 'list') this.list(e);
    return v;
  }
  /** The constant `e` (`absent` where the property is not written: its documented default). */
  private num(e: A.Expr | undefined, absent = 0): number {
    if (!e) return absent;
    const v = this.ty(e).value;
    if (v === undefined) {
      this.internal(e, 'this value has no constant value');
      return 0;
    }
    return v;
  }
  private list(e: A.Expr | undefined): number[] {
    if (e && e.kind === 'list') {
      const checked = this.a.types.get(e)?.list;
      e.items.forEach((x, k) => {
        if ((checked?.[k] ?? this.ty(x)).value === undefined) this.internal(x, 'this list item has no constant value');
      });
    }
    return listValues(this.typed, e);
  }
  /** The size the checker gave a population or input (a clean file has one). */
  private sizeOf(name: string, at: A.Span): number {
    const item = this.a.network.get(name);
    if (item && (item.kind === 'population' || item.kind === 'input') && item.size !== undefined) return item.size;
    this.internal(at, `'${name}' has no size`);
    return 0;
  }
  private prop(props: A.Property[], key: string): A.Property | undefined {
    return props.find((p) => p.key.name === key);
  }
  private selector(s: A.Selector): SelectorIR {
    const item = this.a.network.get(s.name.name);
    if (!item) this.internal(s.name, `'${s.name.name}' is not in the network`);
    const size = item?.kind === 'connection' ? 0 : this.sizeOf(s.name.name, s.name);
    // A named connection without a range selects all its synapses (their count is drawn later).
    if (!s.range) return { name: s.name.name, from: 0, to: item?.kind === 'connection' ? 2147483647 : size - 1 };
    if (s.range.kind === 'range') return { name: s.name.name, from: this.num(s.range.from), to: this.num(s.range.to) };
    const k = this.num(s.range);
    return { name: s.name.name, from: k, to: k };
  }

  run(): ModelIR {
    const a = this.a;
    const items = a.file.items;
    const modelName = items.find((i): i is A.ModelDecl => i.kind === 'model')?.name.name ?? basename(a.uri);
    const populations: PopulationIR[] = [];
    const inputs: InputIR[] = [];
    const connections: ConnectionIR[] = [];
    const probes: ProbeIR[] = [];
    const ir: ModelIR = {
      version: IR_VERSION, name: modelName, source: a.uri, models: this.models, populations, inputs, connections, probes,
      readouts: [], tasks: [], concepts: [], targets: [],
      simulate: {
        dt: a.simulate.dt ?? DEFAULT_SIMULATE.dt,
        duration: a.simulate.duration ?? DEFAULT_SIMULATE.duration,
        seed: a.simulate.seed ?? DEFAULT_SIMULATE.seed,
        backend: (a.simulate.backend as ModelIR['simulate']['backend']) ?? DEFAULT_SIMULATE.backend,
        // Only when written: absent, the run picks (RunOptions.threads, else the machine's idle cores for large models).
        ...(a.simulate.threads !== undefined ? { threads: a.simulate.threads } : {}),
      },
    };
    for (const it of items) {
      switch (it.kind) {
        case 'population':
          populations.push(this.population(it));
          break;
        case 'connect':
          connections.push(...this.connect(it));
          break;
        case 'input':
          inputs.push(this.input(it));
          break;
        case 'probe':
          probes.push({ variable: it.variable.name, targets: it.targets.map((t) => this.selector(t)), ...(it.every ? { every: this.num(it.every) } : {}) });
          break;
        case 'readout': {
          const from = this.prop(it.props, 'from')?.value;
          const task = this.prop(it.props, 'task')?.value;
          const file = this.prop(it.props, 'file')?.value;
          if (from?.kind !== 'name') this.internal(it, 'a readout needs from: naming a population');
          ir.readouts.push({
            name: it.name!.name, kind: it.type!.name as 'ridge' | 'onnx', from: from?.kind === 'name' ? from.name : '',
            ...(this.prop(it.props, 'alpha') ? { alpha: this.num(this.prop(it.props, 'alpha')!.value) } : {}),
            ...(this.prop(it.props, 'bin') ? { bin: this.num(this.prop(it.props, 'bin')!.value) } : {}),
            ...(task?.kind === 'name' ? { task: task.name } : {}),
            ...(file?.kind === 'string' ? { file: file.value } : {}),
          });
          break;
        }
        case 'task': {
          const stim = this.prop(it.props, 'stimulus')?.value;
          const stimuli = stim?.kind === 'name' ? [stim.name] : stim?.kind === 'list' ? stim.items.flatMap((x) => (x.kind === 'name' ? [x.name] : [])) : [];
          ir.tasks.push({
            name: it.name!.name, stimuli,
            windows: it.windows.map((w) => (w.range.kind === 'range' ? undefined : this.internal(w.range, 'a task window needs a time range'), {
              from: w.range.kind === 'range' ? this.num(w.range.from) : 0,
              to: w.range.kind === 'range' ? this.num(w.range.to) : 0,
              label: this.windowLabel(w.labels[0]),
              ...(w.labels.length > 1 || w.labels[0].key ? { labels: w.labels.map((l) => this.windowLabel(l)) } : {}),
            })),
          });
          break;
        }
        case 'concept': {
          const stim = this.prop(it.props, 'stimulus')?.value;
          const during = this.prop(it.props, 'during')?.value;
          const desc = this.prop(it.props, 'description')?.value;
          if (stim?.kind !== 'name' || during?.kind !== 'range') this.internal(it, 'a concept needs stimulus: and during: a time range');
          ir.concepts.push({
            name: it.name!.name, stimulus: stim?.kind === 'name' ? stim.name : '',
            from: during?.kind === 'range' ? this.num(during.from) : 0, to: during?.kind === 'range' ? this.num(during.to) : 0,
            ...(desc?.kind === 'string' ? { description: desc.value } : {}),
          });
          break;
        }
        case 'target':
        {
          const approx = it.props.find((p) => p.key.name === 'approximate')?.value;
          // settings the schema declares as words (`fault_type: sa1`) are options; the rest are numbers
          const schema = TARGET_KINDS[it.type!.name]?.schema ?? {};
          const isOption = (p: A.Property) => p.key.name !== 'approximate' && schema[p.key.name]?.value.kind === 'enum';
          const named = it.props.filter((p) => isOption(p) && p.value.kind === 'name');
          ir.targets.push({
            name: it.name!.name, kind: it.type!.name,
            settings: Object.fromEntries(it.props.filter((p) => p.key.name !== 'approximate' && !isOption(p)).map((p) => [p.key.name, this.num(p.value)])),
            ...(approx?.kind === 'name' ? { approximate: [approx.name as 'conductance'] } : {}),
            ...(named.length ? { options: Object.fromEntries(named.map((p) => [p.key.name, (p.value as A.Expr & { kind: 'name' }).name])) } : {}),
          });
        }
          break;
      }
    }
    return ir;
  }

  private model(m: ModelInfo): string {
    const name = m.def.name.name;
    if (this.models[name]) return name;
    const def = m.def;
    const text = this.program.getText(m.uri) ?? '';
    const line = text.slice(0, def.start).split('\n').length;
    const vars = m.vars;
    const isSyn = def.kind === 'synapse';
    const conv = (e: A.Expr): ExprIR => this.expr(e, m);
    const stmts = (s: A.Assign[] | undefined): StatementIR[] => (s ?? []).map((x) => ({ target: this.assignTarget(x.target, m), op: x.op, value: conv(x.value) }));
    const aliases = def.equations.filter((e): e is A.Alias => e.kind === 'alias');
    const ordered = orderAliases(aliases);
    const aliasNames = new Set(aliases.map((x) => x.name.name));
    const ir: ModelDefIR = {
      kind: def.kind, name, source: { uri: m.uri, line },
      parameters: [...vars.values()].filter((v) => v.kind === 'parameter').map((v) => ({
        name: v.sym.name, dim: dimIR(v.dim), ...(v.value !== undefined ? { default: v.value } : {}), ...(v.dim && v.dim[7] ? { weightUnit: true } : {}),
      })),
      state: [...vars.values()].filter((v) => v.kind === 'state').map((v) => ({
        name: v.sym.name, dim: dimIR(v.dim), init: (v.decl as A.Decl).value ? conv((v.decl as A.Decl).value!) : { op: 'const', value: 0 }, ...(v.dim && v.dim[7] ? { weightUnit: true } : {}),
      })),
      aliases: ordered.map((x) => ({ name: x.name.name, dim: dimIR(vars.get(x.name.name)?.dim), expr: conv(x.rhs) })),
      odes: def.equations.filter((e): e is A.Ode => e.kind === 'ode').map((o) => ({
        variable: isSyn && o.variable.name === 'w' ? 'w' : o.variable.name,
        rhs: conv(o.rhs),
        linear: degreeIn(o.rhs, o.variable.name, aliases, aliasNames) <= 1,
      })),
      method: (def.method?.name as ModelDefIR['method']) ?? (def.equations.some((q) => q.kind === 'ode' && noiseRefs(q.rhs).length > 0) ? 'euler' : null),
      spike: def.spike ? conv(def.spike) : null,
      reset: stmts(def.reset),
      refractory: def.refractory ? conv(def.refractory) : null,
      ...(def.refractoryWhen ? { refractory_when: conv(def.refractoryWhen.condition) } : {}),
      ...(def.holding ? { refractory_holds: def.holding.items.map((x) => x.name) } : {}),
      on_pre: stmts(def.onPre),
      on_post: stmts(def.onPost),
      ...(def.summed?.length ? { summed: stmts(def.summed) } : {}),
    };
    this.models[name] = ir;
    return name;
  }

  private assignTarget(e: A.Expr, m: ModelInfo | undefined): AssignTargetIR {
    if (e.kind === 'member' && e.object.kind === 'name' && (e.object.name === 'pre' || e.object.name === 'post')) return { kind: e.object.name, name: e.member.name };
    if (e.kind === 'name') {
      if (e.name === 'w' && (!m || m.def.kind === 'synapse') && !m?.vars.has('w')) return { kind: 'weight' };
      if (e.name === 'target' && m?.def.kind === 'synapse') return { kind: 'target' };
      if (!m) return { kind: 'post', name: e.name };
      return { kind: 'state', name: e.name };
    }
    this.internal(e, 'this is not an assignable variable');
    return { kind: 'state', name: '?' };
  }

  /** Model expressions → IR; `m` undefined means an inline connection statement (post vars). */
  private expr(e: A.Expr, m: ModelInfo | undefined): ExprIR {
    switch (e.kind) {
      case 'number': {
        // A literal's value: the checker's folding of it (the file checked clean, so it is finite).
        const v = literalValue(e);
        return v === undefined ? this.internalExpr(e, 'this number has no value') : { op: 'const', value: v };
      }
      case 'bool':
        return { op: 'const', value: e.value ? 1 : 0 };
      case 'name': {
        const v = m?.vars.get(e.name);
        if (v) return { op: v.kind === 'parameter' ? 'param' : v.kind === 'state' ? 'state' : 'alias', name: e.name };
        if (e.name === 't' || e.name === 'dt' || e.name === 'i' || e.name === 'N') return { op: 'builtin', name: e.name };
        // White noise under Euler–Maruyama: x + dt·(f + g·xi) with xi = N(0, 1)/√dt is
        // x + f·dt + g·√dt·N(0, 1). The checker allows xi once per ODE and only with euler.
        if (e.name === 'xi') return { op: 'div', args: [{ op: 'call', fn: 'randn', args: [] }, { op: 'call', fn: 'sqrt', args: [{ op: 'builtin', name: 'dt' }] }] };
        // pi and e where no variable has the name (the checker's rule): constants.
        if (m && Object.hasOwn(CONSTANTS, e.name)) return { op: 'const', value: CONSTANTS[e.name].value };
        if (e.name === 'w') return { op: 'weight' };
        if (e.name === 'target') return { op: 'target' };
        if (!m) return { op: 'post', name: e.name };
        return this.internalExpr(e, `'${e.name}' is not a variable of ${m.def.name.name}`);
      }
      case 'member':
        if (e.object.kind === 'name' && (e.object.name === 'pre' || e.object.name === 'post' || e.object.name === 'mod')) return { op: e.object.name, name: e.member.name };
        return this.internalExpr(e, 'this member has no meaning in an equation');
      case 'unary':
        if (e.op === '+') return this.expr(e.operand, m);
        return { op: e.op === '-' ? 'neg' : 'not', args: [this.expr(e.operand, m)] };
      case 'binary':
        return { op: BIN[e.op] as Exclude<ExprIR['op'], 'const'>, args: [this.expr(e.left, m), this.expr(e.right, m)] } as ExprIR;
      case 'call':
        return { op: 'call', fn: e.callee.name, args: e.args.map((x) => this.expr(x.value, m)) };
      default:
        return this.internalExpr(e, `a ${e.kind} has no meaning in an equation`);
    }
  }

  private internalExpr(e: A.Span, message: string): ExprIR {
    this.internal(e, message);
    return { op: 'const', value: 0 };
  }

  /** A per-neuron expression (it uses i or N) as one value per neuron (per-neuron.ts). */
  private perNeuron(e: A.Expr, size: number): ValueIR {
    const r = perNeuronValues(e, size);
    if (r.ok) return { kind: 'list', values: r.values };
    this.internal(e, `the per-neuron expression has no finite value for neuron i = ${r.neuron}`);
    return { kind: 'list', values: [] };
  }

  /**
   * A case the checker should have refused: lowering stops with an error located at `at` (the
   * engine never sees a made-up value) instead of handing on a stand-in.
   */
  /** A window label as the IR writes it: `left`, or `feature=value`. */
  private windowLabel(l: A.WindowLabel): string {
    const v = l.value;
    let text = '';
    if (v.kind === 'string') text = v.value;
    else if (v.kind === 'name') text = v.name;
    else if (v.kind === 'number') text = String(v.value);
    else this.internal(v, 'a window label needs a string, name or number');
    return l.key ? `${l.key.name}=${text}` : text;
  }

  internal(at: A.Span, message: string): void {
    this.internalErrors.push({ start: at.start, end: at.end, severity: Severity.Error, code: 'internal', message: `internal: ${message}; nothing is lowered (please report this model)` });
  }
  readonly internalErrors: Diagnostic[] = [];

  private population(p: A.PopulationDef): PopulationIR {
    const item = this.a.network.get(p.name.name)!;
    const m = item.kind === 'population' ? item.model! : undefined;
    if (m) this.model(m);
    const parameters: Record<string, ValueIR> = {};
    const init: Record<string, ValueIR> = {};
    const size = this.sizeOf(p.name.name, p.name);
    const links: LinkIR[] = [];
    for (const x of p.inits) {
      if (x.target.kind !== 'name') continue;
      const v = m?.vars.get(x.target.name);
      const call = linkedCall(x.value);
      if (call) {
        const { source, variable, index } = linkArgs(call);
        if (!source || !variable) this.internal(call, 'linked(…) needs a population variable');
        const idx = linkIndex(index, size);
        if (index && !idx) this.internal(index, 'the index of a link has no finite value for some neuron');
        links.push({ parameter: x.target.name, source: source?.name ?? '', variable: variable?.name ?? '', ...(idx ? { index: idx } : {}) });
        continue;
      }
      (v?.kind === 'parameter' ? parameters : init)[x.target.name] = usesNeuronIndex(x.value) ? this.perNeuron(x.value, size) : this.value(x.value);
    }
    const out: PopulationIR = { name: p.name.name, model: p.model.name, size, parameters, init };
    const l = layoutOf(p, (e) => this.ty(e).value);
    if (l) out.layout = { kind: l.kind, ...(l.rows ? { rows: l.rows, cols: l.cols } : {}), spacing: l.spacing ?? DEFAULT_SPACING };
    if (p.schedules?.length && m) out.schedules = p.schedules.map((s) => this.schedule(s, m));
    if (links.length) out.links = links;
    return out;
  }

  /** `every` / `at` blocks: times in seconds, statements on the model's state and parameters. */
  private schedule(s: A.ScheduleDef, m: ModelInfo): ScheduleIR {
    const statements: StatementIR[] = s.statements.map((x) => {
      const name = x.target.kind === 'name' ? x.target.name : '';
      const v = m.vars.get(name);
      if (!v || v.kind === 'alias') this.internal(x.target, `'${name}' is not a state variable or parameter of ${m.def.name.name}`);
      return { target: { kind: v?.kind === 'parameter' ? 'param' : 'state', name }, op: x.op, value: this.expr(x.value, m) };
    });
    if (s.keyword.name === 'every') return { every: this.num(s.when), statements };
    return { at: s.when.kind === 'list' ? this.list(s.when) : [this.num(s.when)], statements };
  }

  private connect(c: A.ConnectDef): ConnectionIR[] {
    const get = (k: string) => this.prop(c.props, k);
    const ruleE = get('rule')!.value;
    const rname = ruleE.kind === 'name' ? ruleE.name : ruleE.kind === 'call' ? ruleE.callee.name : '';
    if (!RULES[rname]) this.internal(ruleE, `'${rname}' is not a connection rule`);
    const args = new Map<string, A.Expr>();
    if (ruleE.kind === 'call') ruleE.args.forEach((x, k) => args.set(x.name?.name ?? RULES[rname]?.args[k]?.name ?? '', x.value));
    let rule: RuleIR;
    switch (rname) {
      case 'random':
        rule = { kind: 'random', p: this.num(args.get('p')) };
        break;
      case 'fixed_indegree':
      case 'fixed_outdegree':
        rule = { kind: rname, k: this.num(args.get('k')) };
        break;
      case 'distance':
      case 'ring_kernel':
        rule = { kind: rname, sigma: this.num(args.get('sigma')), p_max: this.num(args.get('p_max'), 1) };
        break;
      case 'where': {
        const cond = ruleE.kind === 'call' ? ruleE.args[0]?.value : undefined;
        const condition = cond ? conditionIR(cond) : undefined;
        if (!condition) this.internal(ruleE, 'where() has no condition the engine can evaluate');
        const p = args.has('p') ? this.num(args.get('p')) : 1;
        rule = { kind: 'where', condition: condition ?? { op: 'const', value: 0 }, ...(p !== 1 ? { p } : {}) };
        break;
      }
      case 'from_file': {
        const f = args.get('file');
        if (f?.kind !== 'string') this.internal(ruleE, 'from_file needs a file name');
        rule = { kind: 'from_file', file: f?.kind === 'string' ? f.value : '' };
        break;
      }
      default:
        rule = { kind: rname as 'all_to_all' | 'one_to_one' };
    }
    const tgt = get('target')?.value;
    const syn = get('synapse')?.value;
    const out: ConnectionIR = {
      ...(c.name ? { name: c.name.name } : {}),
      sources: c.sources.map((s) => this.selector(s)),
      targets: c.targets.map((s) => this.selector(s)),
      rule,
      weight: this.value(get('weight')!.value),
      autapses: get('autapses')?.value.kind === 'bool' ? (get('autapses')!.value as A.BoolLit).value : true,
    };
    if (get('delay')) out.delay = this.value(get('delay')!.value);
    if (tgt?.kind === 'name') out.target = tgt.name;
    if (syn && (syn.kind === 'call' || syn.kind === 'name')) {
      const name = syn.kind === 'call' ? syn.callee.name : syn.name;
      const m = this.a.models.get(name)!;
      this.model(m);
      const parameters: Record<string, number> = {};
      for (const v of m.vars.values()) if (v.kind === 'parameter' && v.value !== undefined) parameters[v.sym.name] = v.value;
      if (syn.kind === 'call') for (const x of syn.args) if (x.name) parameters[x.name.name] = this.num(x.value);
      out.synapse = { model: name, parameters };
    }
    const pre = get('on_pre')?.statements;
    const post = get('on_post')?.statements;
    const inline = (s: A.Assign[]): StatementIR[] => s.map((x) => ({ target: this.assignTarget(x.target, undefined), op: x.op, value: this.expr(x.value, undefined) }));
    if (pre) out.on_pre = inline(pre);
    if (post) out.on_post = inline(post);
    const paths = pathwaysOf({ typeOf: (e) => this.ty(e) }, get('pathways'));
    if (paths) out.pathways = paths.map((x) => ({ name: x.name, ...(x.delay !== undefined ? { delay: x.delay } : {}), on_pre: inline(x.onPre?.statements ?? []) }));
    if (!out.synapse && !out.on_pre && out.target) out.on_pre = [{ target: { kind: 'target' }, op: '+=', value: { op: 'weight' } }];
    const mod = get('modulated_by')?.value;
    if (mod?.kind === 'name') out.modulated_by = mod.name;
    const seg = get('segments')?.props;
    if (seg) {
      const sv = (k: string) => this.prop(seg, k)?.value;
      out.segments = { count: this.num(sv('count'), 1), threshold: this.num(sv('threshold'), 1), window: this.num(sv('window'), this.a.simulate.dt ?? DEFAULT_SIMULATE.dt) };
    }
    return [out];
  }

  private input(b: A.BlockDef): InputIR {
    const name = b.name!.name;
    // Spike sources have a size; a current_step input has none.
    const size = () => this.sizeOf(name, b.name!);
    const get = (k: string) => this.prop(b.props, k)?.value;
    switch (b.type!.name) {
      case 'poisson':
        return { kind: 'poisson', name, size: size(), rate: this.value(get('rate')!), ...(get('start') ? { start: this.num(get('start')) } : {}), ...(get('stop') ? { stop: this.num(get('stop')) } : {}) };
      case 'spike_array':
        return { kind: 'spike_array', name, size: size(), times: this.list(get('times')), indices: this.list(get('indices')), ...(get('period') ? { period: this.num(get('period')) } : {}) };
      case 'event_file': {
        const f = get('file');
        if (f?.kind !== 'string') this.internal(b.name!, 'event_file needs a file name');
        return { kind: 'event_file', name, size: size(), file: f?.kind === 'string' ? f.value : '' };
      }
      case 'current_step': {
        const t = get('target')!;
        let sel: SelectorIR = { name: '', from: 0, to: -1 };
        let variable = '';
        if (t.kind === 'member') {
          variable = t.member.name;
          const o = t.object;
          if (o.kind === 'name') sel = this.selector({ name: { name: o.name, start: o.start, end: o.end }, start: o.start, end: o.end });
          else if (o.kind === 'index' && o.object.kind === 'name') sel = this.selector({ name: { name: o.object.name, start: o.start, end: o.end }, range: o.index, start: o.start, end: o.end });
        }
        if (!sel.name) this.internal(t, 'current_step needs a target population variable');
        return { kind: 'current_step', name, target: { ...sel, variable }, times: this.list(get('times')), values: this.list(get('values')) };
      }
      default:
        this.internal(b.type ?? b, `'${b.type?.name ?? ''}' is not an input kind`);
        return { kind: 'spike_array', name, size: size(), times: [], indices: [] };
    }
  }
}

function basename(uri: string): string {
  const last = uri.split('/').pop() ?? 'model';
  return decodeURIComponent(last).replace(/\.snn$/, '');
}

/** Named expressions in an order where each comes after those it uses. */
function orderAliases(aliases: A.Alias[]): A.Alias[] {
  const byName = new Map(aliases.map((x) => [x.name.name, x]));
  const out: A.Alias[] = [];
  const state = new Map<string, number>();
  const visit = (x: A.Alias) => {
    const s = state.get(x.name.name);
    if (s === 2 || s === 1) return;
    state.set(x.name.name, 1);
    walk(x.rhs, (e) => {
      if (e.kind === 'name' && byName.has(e.name)) visit(byName.get(e.name)!);
    });
    state.set(x.name.name, 2);
    out.push(x);
  };
  aliases.forEach(visit);
  return out;
}
