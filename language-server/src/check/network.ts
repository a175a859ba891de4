// Phase 3: the network's names (populations, inputs, named connections, readouts, …) declared
// before any item is checked, so that items may refer to items further down.
import type * as A from '../ast';
import { INPUT_KINDS } from '../schema';
import { KIND_WORDS } from './util';
import type { Sym } from '../symbols';
import type { NetItem } from '../analysis';
import type { Checker } from './context';

export function declareNetwork(cx: Checker, items: A.Item[]): void {
  const add = (name: A.Ident | undefined, mk: (sym: Sym) => NetItem, kind: Sym['kind'], full: A.Span, detail: string, doc?: string) => {
    if (!name) return;
    const prev = cx.network.get(name.name);
    if (prev) {
      cx.err(name, `'${name.name}' is already defined (${KIND_WORDS[prev.kind]} at offset ${prev.sym.span.start})`.replace(/ at offset \d+/, ''), 'duplicate');
      return;
    }
    if (cx.models.has(name.name) && cx.own.some((m) => m.def.name.name === name.name)) {
      cx.err(name, `'${name.name}' is already the name of a ${cx.models.get(name.name)!.def.kind} model`, 'duplicate');
      return;
    }
    const sym = cx.sym(kind, name, full, { detail, doc });
    cx.network.set(name.name, mk(sym));
  };
  for (const it of items) {
    if (it.kind === 'population') {
      add(it.name, (sym) => ({ kind: 'population', node: it, sym }), 'population', it, `population ${it.name.name} = ${it.model.name}[…]`, it.doc);
    } else if (it.kind === 'connect' && it.name) {
      add(it.name, (sym) => ({ kind: 'connection', node: it, sym }), 'connection', it, `connection ${it.name!.name}`);
    } else if (it.kind === 'input') {
      const spec = it.type ? INPUT_KINDS[it.type.name] : undefined;
      add(it.name, (sym) => ({ kind: 'input', node: it, sym, spiking: spec?.spiking ?? true }), 'input', it, `input ${it.name?.name} = ${it.type?.name ?? '?'}`, it.doc);
    } else if (it.kind === 'readout' || it.kind === 'task' || it.kind === 'concept' || it.kind === 'target') {
      const k = it.kind;
      add(it.name, (sym) => ({ kind: k, node: it, sym }), k, it, `${k} ${it.name?.name}`, it.doc);
    }
  }
}

