// ONNX readouts (`readout clf = onnx { file; from; bin; task }`), in the final phase: the model
// file is read through the context (trusted workspaces only, inside the roots, bounded; decoded,
// never run) and its first input and output are held against what the run will feed it — the
// features per window (neurons of `from` × bins per window) and the task's classes. A problem is
// a warning at `file` (the file) or at `from` (the features), as the run would only score the
// readout as "not evaluated"; untrusted, a note says the shape is checked once trusted.
import type * as A from '../ast';
import { Severity } from '../diagnostics';
import { onnxShapeText, readoutIo } from '../../../protocol/onnx-readout';
import { UNTRUSTED_MODEL } from '../onnx-model';
import type { Checker } from './context';

const propOf = (b: A.BlockDef, key: string) => b.props.find((p) => p.key.name === key);

/** A window label's text as lowering writes it (lower.ts windowLabel), or undefined. */
function labelText(l: A.WindowLabel): string | undefined {
  const v = l.value;
  const text = v.kind === 'string' ? v.value : v.kind === 'name' ? v.name : v.kind === 'number' ? String(v.value) : undefined;
  return text === undefined ? undefined : l.key ? `${l.key.name}=${text}` : text;
}

/** The task's windows as [from, to] in seconds and its classes in first-appearance order; undefined when any is not known yet. */
function taskShape(cx: Checker, task: A.BlockDef): { windows: [number, number][]; classes: string[] } | undefined {
  const windows: [number, number][] = [];
  const classes: string[] = [];
  for (const w of task.windows) {
    const r = cx.typeOf(w.range).range;
    const a = r?.[0].value;
    const z = r?.[1].value;
    const label = w.labels[0] && labelText(w.labels[0]);
    if (a === undefined || z === undefined || label === undefined) return undefined;
    windows.push([a, z]);
    if (!classes.includes(label)) classes.push(label);
  }
  return { windows, classes };
}

export function checkOnnxReadouts(cx: Checker, items: readonly A.Item[]): void {
  if (!cx.ctx.readModel) return;
  const tasks = items.filter((i): i is A.BlockDef => i.kind === 'task');
  for (const it of items) {
    if (it.kind !== 'readout' || it.type?.name !== 'onnx') continue;
    const fileExpr = propOf(it, 'file')?.value;
    if (fileExpr?.kind !== 'string') continue;
    // An unterminated string names no file yet: its syntax error says enough.
    if (cx.file.errors.some((x) => x.start < fileExpr.end && fileExpr.start < x.end)) continue;
    const read = cx.ctx.readModel(cx.uri, fileExpr.value);
    if (!read) continue;
    if (read.untrusted) {
      cx.diag({ start: fileExpr.start, end: fileExpr.end, severity: Severity.Information, code: 'untrusted-model', message: `'${fileExpr.value}' is not read yet: ${UNTRUSTED_MODEL}` });
      continue;
    }
    if (read.error || !read.io) {
      cx.warn(fileExpr, `${read.error ?? 'the model cannot be read'}; readout ${it.name?.name ?? ''} cannot be scored`, 'bad-model');
      continue;
    }
    const io = readoutIo(read.io);
    if ('error' in io) {
      cx.warn(fileExpr, `'${fileExpr.value}' cannot be a readout: ${io.error}`, 'bad-model');
      continue;
    }
    // What the run feeds it: the population's neurons × bins per window, over the task's windows.
    const fromExpr = propOf(it, 'from')?.value;
    const popName = fromExpr?.kind === 'name' ? fromExpr.name : undefined;
    const pop = popName === undefined ? undefined : cx.network.get(popName);
    const taskExpr = propOf(it, 'task')?.value;
    const task = taskExpr?.kind === 'name' ? tasks.find((t) => t.name?.name === taskExpr.name) : tasks.length === 1 ? tasks[0] : undefined;
    const shape = task && taskShape(cx, task);
    if (!shape || shape.windows.length === 0) continue;
    if (io.classes !== undefined && io.classes !== shape.classes.length) {
      cx.warn(fileExpr, `'${fileExpr.value}' gives ${io.classes} outputs per window (its output ${io.output.name} is ${onnxShapeText(io.output.shape)}), but task ${task.name?.name} has ${shape.classes.length} classes (${shape.classes.map((c) => JSON.stringify(c)).join(', ')}); output k is the k-th class in the order the classes first appear`, 'bad-model');
    }
    if (pop?.kind !== 'population' || pop.size === undefined || io.features === undefined || fromExpr === undefined) continue;
    const binExpr = propOf(it, 'bin')?.value;
    const bin = binExpr ? cx.typeOf(binExpr).value : undefined;
    if (binExpr && !(bin !== undefined && bin > 0)) continue;
    const per = shape.windows.map(([a, z]) => (bin === undefined ? 1 : Math.max(1, Math.ceil((z - a) / bin - 1e-9))));
    if (per.some((b) => b !== per[0])) continue; // the run says windows cut into different numbers of bins
    const features = pop.size * per[0];
    if (features !== io.features) {
      cx.warn(fromExpr, `'${fileExpr.value}' takes ${io.features} features per window (its input ${io.input.name} is ${onnxShapeText(io.input.shape)}), but ${popName} gives ${features} (${pop.size} neurons × ${per[0]} bin${per[0] === 1 ? '' : 's'} per window): read a population of that size, change bin, or export the model for ${features} inputs`, 'shape-mismatch');
    }
  }
}
