// Phase 1: an import — resolved and analysed through the context; its models become visible here.
import type * as A from '../ast';
import { Severity } from '../diagnostics';
import { LineIndex } from '../text';
import { quote } from '../../../protocol/plain-text';
import type { Checker } from './context';

// ---- imports -----------------------------------------------------------------------------
export function checkImport(cx: Checker, it: A.ImportDecl): void {
  const r = cx.ctx.importFile(cx.uri, it.path.value);
  cx.imports.push({ node: it, uri: r.uri });
  if (r.error) {
    cx.err(it.path, r.error, r.cycle ? 'import-cycle' : 'import');
    return;
  }
  if (!r.analysis) return;
  // A cycle found while checking the imported file runs through this file too: say so here.
  const me = decodeURIComponent(cx.uri.split('/').pop() ?? '');
  const cycle = r.analysis.diagnostics.find((d) => d.code === 'import-cycle' && d.message.includes(me));
  if (cycle) {
    cx.err(it.path, cycle.message, 'import-cycle');
    if (r.analysis.diagnostics.every((d) => d.severity !== Severity.Error || d.code === 'import-cycle')) {
      for (const m of r.analysis.ownModels) if (!cx.models.has(m.def.name.name)) cx.models.set(m.def.name.name, m);
      return;
    }
  }
  for (const m of r.analysis.ownModels) {
    const prev = cx.models.get(m.def.name.name);
    if (prev && !cx.isPreludeModel(prev) && prev !== m) cx.err(it.path, `'${m.def.name.name}' is defined both here and in an imported file`, 'duplicate');
    cx.models.set(m.def.name.name, m);
  }
  const first = r.analysis.diagnostics.filter((d) => d.severity === Severity.Error).sort((x, y) => x.start - y.start)[0];
  if (first && !cycle) {
    // `run` and `export` refuse a model whose imports have errors: `check` says so as an error,
    // naming the imported file's first error and, through chains of imports, the one behind it.
    const pos = new LineIndex(r.analysis.file.text).position(first.start);
    const name = quote(decodeURIComponent((r.uri ?? it.path.value).split('/').pop() ?? it.path.value), 120);
    const at = `${name}:${pos.line + 1}:${pos.character + 1}`;
    const origin = first.code === 'import-errors' && first.origin ? first.origin : `${at}: ${quote(first.message, 160)}`;
    const message = `'${quote(it.path.value, 120)}' has errors; the first is at ${first.code === 'import-errors' && first.origin ? `${at}, from ${origin}` : origin}`;
    cx.diags.push({ start: it.path.start, end: it.path.end, severity: Severity.Error, message, code: 'import-errors', origin });
  }
}

