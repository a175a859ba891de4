// The in-process half of the fuzz test, run in a child process so that the test can kill it
// when an input hangs (synchronous code cannot be interrupted otherwise). It regenerates the
// inputs from the seed, runs inputs [from, …) through parse + analyse + every feature, and
// reports over IPC: {t:'start',k}, {t:'step',k,what}, {t:'fail',k,what,message}, {t:'end',k,ms},
// {t:'done'}. Started by test/fuzz.test.ts as `node --import tsx fuzz-child.ts SEED SCALE FROM`.
import assert from 'node:assert/strict';
import type { FileAnalysis } from '../../language-server/src/checker';
import { complete } from '../../language-server/src/features/completion';
import { format } from '../../language-server/src/features/format';
import { inlayHints } from '../../language-server/src/features/hints';
import { hover } from '../../language-server/src/features/hover';
import { definition, prepareRename, references, rename } from '../../language-server/src/features/navigation';
import { foldingRanges, outline, type OutlineNode } from '../../language-server/src/features/outline';
import { semanticTokens } from '../../language-server/src/features/tokens';
import { lex } from '../../language-server/src/lexer';
import { Program } from '../../language-server/src/program';
import { LineIndex } from '../../language-server/src/text';
import { prelude } from './corpus';
import { generateInputs, memoryHost, ROOT, Rng, vuri } from './fuzz-gen';

export type ChildMessage =
  | { t: 'start'; k: number }
  | { t: 'step'; k: number; what: string }
  | { t: 'fail'; k: number; what: string; message: string }
  | { t: 'end'; k: number; ms: number }
  | { t: 'done' };

function checkOutline(nodes: OutlineNode[], len: number, parent?: OutlineNode): void {
  for (const x of nodes) {
    assert.ok(x.start <= x.selStart && x.selStart <= x.selEnd && x.selEnd <= x.end, `outline ${x.name}: selection [${x.selStart},${x.selEnd}) not inside [${x.start},${x.end})`);
    assert.ok(x.start >= 0 && x.end <= len, `outline ${x.name}: [${x.start},${x.end}) outside the text (${len})`);
    if (parent) assert.ok(parent.start <= x.start && x.end <= parent.end, `outline ${x.name} outside its parent ${parent.name}`);
    checkOutline(x.children, len, x);
  }
}

function checkTokens(data: number[], lines: LineIndex): void {
  assert.equal(data.length % 5, 0, 'semantic token data is not a multiple of 5');
  let line = 0;
  let ch = 0;
  let prevEnd = -1;
  for (let k = 0; k < data.length; k += 5) {
    const [dl, dc, len, type, mods] = data.slice(k, k + 5);
    assert.ok(dl >= 0 && len > 0 && type >= 0 && mods >= 0 && Number.isInteger(dc), `token ${k / 5}: ${data.slice(k, k + 5)}`);
    if (dl > 0) {
      line += dl;
      ch = dc;
      prevEnd = -1;
    } else {
      assert.ok(dc >= 0, `token ${k / 5}: negative delta`);
      ch += dc;
    }
    assert.ok(ch >= prevEnd, `token ${k / 5} overlaps the previous one (line ${line})`);
    assert.ok(line < lines.lineCount, `token ${k / 5} on line ${line} beyond the last line ${lines.lineCount - 1}`);
    prevEnd = ch + len;
  }
}

function checkAnalysis(a: FileAnalysis, text: string): void {
  for (const d of a.diagnostics) {
    assert.ok(0 <= d.start && d.start <= d.end && d.end <= text.length, `diagnostic [${d.start},${d.end}) outside the text (${text.length}): ${d.message}`);
    assert.ok(typeof d.message === 'string' && d.message.length > 0, 'empty diagnostic message');
    assert.ok(d.severity >= 1 && d.severity <= 4, `severity ${d.severity}`);
    for (const f of d.fixes ?? []) {
      if (f.kind === 'addUnit') assert.ok(0 <= f.offset && f.offset <= text.length, `addUnit fix at ${f.offset} outside the text`);
      else assert.ok(0 <= f.start && f.start <= f.end && f.end <= text.length, `replace fix [${f.start},${f.end}) outside the text`);
    }
  }
}

/** The tokens formatting must keep: kind, text and whether whitespace precedes (newlines aside). */
function tokenKeys(text: string): { keys: string[]; lexErrors: number } {
  const r = lex(text);
  return {
    keys: r.tokens.filter((t) => t.kind !== 'newline' && t.kind !== 'eof').map((t) => `${t.kind} ${JSON.stringify(t.text)}${t.spaced ? ' (spaced)' : ''}`),
    lexErrors: r.errors.length,
  };
}

export async function run(seed: number, scale: number, from: number, send: (m: ChildMessage) => void): Promise<void> {
  const inputs = generateInputs(seed, scale);
  let program = new Program(memoryHost(), prelude());
  let used = 0;
  for (let k = from; k < inputs.length; k++) {
    const input = inputs[k];
    const rng = new Rng((seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0);
    if (++used > 300) {
      program = new Program(memoryHost(), prelude());
      used = 0;
    }
    send({ t: 'start', k });
    const uri = vuri(input.path);
    const text = input.text;
    const t0 = performance.now();
    const step = (what: string, f: () => void) => {
      send({ t: 'step', k, what });
      try {
        f();
      } catch (e) {
        const err = e as Error;
        send({ t: 'fail', k, what, message: `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}` });
      }
    };
    let a: FileAnalysis | undefined;
    step('analyze', () => {
      program.setText(uri, text);
      a = program.analyze(uri);
      checkAnalysis(a, text);
    });
    if (a) {
      const an = a;
      const offsets = [0, text.length, ...Array.from({ length: 5 }, () => rng.int(0, text.length))];
      const others = [uri, vuri(`${ROOT}/examples/coba.snn`)];
      const each = (what: string, f: (off: number) => void) => step(what, () => offsets.forEach(f));
      each('complete', (off) => {
        for (const c of complete(an, off)) assert.ok(typeof c.label === 'string' && c.label.length > 0, 'completion without a label');
      });
      each('hover', (off) => {
        const h = hover(an, off);
        if (h) assert.ok(0 <= h.start && h.start <= h.end && h.end <= text.length && h.markdown.length > 0, `hover range [${h.start},${h.end})`);
      });
      each('definition', (off) => {
        const d = definition(program, uri, off);
        if (d) assert.ok(d.start <= d.end, 'definition range');
      });
      each('references', (off) => void references(program, uri, off, others, true));
      each('rename', (off) => {
        const p = prepareRename(program, uri, off);
        if (p.ok) {
          assert.ok(0 <= p.start && p.start <= p.end && p.end <= text.length, 'prepareRename range');
          const r = rename(program, uri, off, 'renamed_x', others);
          if ('edits' in r) for (const [u, ls] of r.edits) for (const l of ls) assert.ok(l.start <= l.end, `rename edit in ${u}`);
        }
      });
      step('semanticTokens', () => checkTokens(semanticTokens(an, new LineIndex(text), (u) => program.isPrelude(u)), new LineIndex(text)));
      step('outline', () => checkOutline(outline(an), text.length));
      step('folding', () => {
        const lines = new LineIndex(text);
        for (const f of foldingRanges(an.file, (o) => lines.position(o).line)) {
          assert.ok(0 <= f.startLine && f.startLine <= f.endLine && f.endLine < lines.lineCount, `folding ${f.startLine}-${f.endLine} (${lines.lineCount} lines)`);
        }
      });
      step('inlayHints', () => {
        for (const h of inlayHints(an)) assert.ok(0 <= h.offset && h.offset <= text.length, `inlay hint at ${h.offset}`);
      });
    }
    step('format', () => {
      const once = format(text);
      const twice = format(once);
      if (twice !== once) {
        const l1 = once.split('\n');
        const l2 = twice.split('\n');
        const j = l1.findIndex((l, i) => l !== l2[i]);
        assert.fail(`format is not idempotent: line ${j + 1} ${JSON.stringify(l1[j])} becomes ${JSON.stringify(l2[j])}`);
      }
      // On lexically valid text (no stray characters, unterminated strings or comments),
      // formatting keeps the tokens: it changes whitespace only where it carries no meaning.
      const before = tokenKeys(text);
      if (before.lexErrors === 0) {
        const after = tokenKeys(once).keys;
        const j = before.keys.findIndex((x, i) => x !== after[i]);
        if (j >= 0 || after.length !== before.keys.length) {
          assert.fail(`format changed the tokens: #${j} ${before.keys[j] ?? '(end)'} became ${after[j] ?? '(end)'}`);
        }
      }
    });
    program.close(uri);
    send({ t: 'end', k, ms: performance.now() - t0 });
    // Yield so that queued IPC messages reach the parent: the watchdog must see progress.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  send({ t: 'done' });
}

if (require.main === module) {
  const [seed, scale, from] = process.argv.slice(2).map(Number);
  const send = (m: ChildMessage) => process.send!(m);
  void run(seed >>> 0, scale, from, send).then(() => process.disconnect?.());
}
