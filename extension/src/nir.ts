// The NIR commands' work without VS Code types (test/interop-nir.test.ts calls it in Node): the
// model in the editor as a NIR graph with its refusals located, and a NIR file as .snn text.
import * as path from 'node:path';
import { nirToSnn, NirImportError, toNir, type NirGraph } from '../../interop/nir';
import type { Refusal } from '../../interop/refusal';
import { readNir } from '../../io/nir-file';
import { loadModel, locateItems } from './simulation/model';

/** The model's NIR graph, or the refusals as `line:column: message` lines (and the warnings likewise). */
export function nirGraphOf(uri: string, text: string, distDir: string, policy: { trusted: boolean; roots?: string[] }): { graph?: NirGraph; errors: string[]; warnings: string[] } {
  const loaded = loadModel(uri, text, distDir, policy);
  if (!loaded.ok) return { errors: loaded.errors.map((e) => `${e.line + 1}:1: ${e.message}`), warnings: [] };
  const r = toNir(loaded.ir);
  const place = (list: Refusal[]) => {
    const at = locateItems(uri, text, list.map((x) => x.where), distDir);
    return list.map((x, k) => `${x.where.line ?? at[k]?.line ?? 1}:${x.where.line ? 1 : (at[k]?.column ?? 1)}: ${x.message}`);
  };
  const warnings = place(r.warnings);
  return r.ok ? { graph: r.graph, errors: [], warnings } : { errors: place(r.refusals), warnings };
}

/** A NIR file as .snn text, or why not (a message naming the file or node). */
export async function snnOfNir(file: string): Promise<{ text: string } | { error: string }> {
  try {
    return { text: nirToSnn(await readNir(file), path.basename(file)) };
  } catch (e) {
    if (!(e instanceof NirImportError)) throw e;
    return { error: e.message.startsWith(file) ? e.message : `${path.basename(file)}: ${e.message}` };
  }
}
