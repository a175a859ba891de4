// extension/src/notify.ts: text from a model (file names, population names, CSV headers,
// engine errors quoting them) never becomes a link or an icon in a notification, progress
// title, quick pick or status bar; and every such call in extension/src goes through it. The
// panels set run text with textContent only (no markup, no links).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Notifier, plain, statusText, type MessageWindow, type ProgressStep } from '../extension/src/notify';
import { repoRoot } from './helpers/build';

// VS Code's notification link form (its parseLinkedText): [label](http…|command:…|file:…).
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/;

const HOSTILE = [
  'data/[run me](command:workbench.action.terminal.new).csv',
  '[x](https://evil.example/)',
  'pop[0]  (file:///etc/passwd)',
  'w.csv:3:1: column [a](command:x?%5B%22rm%22%5D) not found',
  '\u202e[y](command:z)',
  '<command:workbench.action.openSettings>',
  '$(alert) model.snn',
];

/** A window that records what it was asked to show and answers with the first button. */
function recordingWindow(): { window: MessageWindow; shown: string[] } {
  const shown: string[] = [];
  const window: MessageWindow = {
    showInformationMessage: async (m, ...items) => (shown.push(m, ...items), items[0]),
    showWarningMessage: async (m, ...items) => (shown.push(m, ...items), items[0]),
    showErrorMessage: async (m, ...items) => (shown.push(m, ...items), items[0]),
    withProgress: async (options, task) => {
      shown.push(options.title ?? '');
      const progress = { report: (s: ProgressStep) => void shown.push(s.message ?? '') };
      return task(progress, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) });
    },
    showQuickPick: async (items, options) => {
      shown.push(options?.title ?? '', options?.placeHolder ?? '', ...items.flatMap((i) => [i.label, i.description ?? '', i.detail ?? '']));
      return items[items.length - 1];
    },
  };
  return { window, shown };
}

describe('notify: model text is plain wherever it is shown', () => {
  it('notifications, buttons, progress titles and reports never hold a link VS Code would render', async () => {
    const { window, shown } = recordingWindow();
    const notify = new Notifier(window);
    for (const h of HOSTILE) {
      const button = `Open ${h}`;
      assert.equal(await notify.info(`Spikeworks: ${h} ran on WASM`, button), button, 'the pick is the button as given');
      await notify.warn(`Population ${h} is not defined in ${h}`);
      await notify.error(`Spikeworks: m.snn: ${h}`, 'Show Problems');
      await notify.progress({ location: 15, title: `Simulating ${h}`, cancellable: true }, async (progress) => progress.report({ increment: 1, message: `${h} 50%` }));
    }
    assert.ok(shown.length >= HOSTILE.length * 7);
    for (const s of shown) {
      assert.doesNotMatch(s, LINK, s);
      assert.doesNotMatch(s, /<command:/i, s);
      assert.doesNotMatch(s, /[\u202a-\u202e]/, 'no bidi override');
    }
    assert.ok(shown.some((s) => s.includes('[run me]')), 'the text is still there to read');
  });

  it('quick picks show plain labels and resolve with the item as given', async () => {
    const { window, shown } = recordingWindow();
    const items = HOSTILE.map((h) => ({ label: h, description: `in ${h}`, detail: h, id: h }));
    const chosen = await new Notifier(window).pick(items, { title: HOSTILE[0], placeHolder: HOSTILE[1] });
    assert.equal(chosen, items[items.length - 1]);
    for (const s of shown) assert.doesNotMatch(s, LINK, s);
    assert.ok(shown.includes('\\$(alert) model.snn'), 'icon syntax from a name is escaped');
  });

  it('a multi-select quick pick shows plain labels, asks for canPickMany and resolves with the items as given', async () => {
    const shown: string[] = [];
    let many: boolean | undefined;
    const { window } = recordingWindow();
    window.showQuickPick = (async (items: readonly { label: string }[], options?: { canPickMany?: boolean }) => {
      many = options?.canPickMany;
      shown.push(...items.map((i) => i.label));
      return [items[0], items[2]];
    }) as MessageWindow['showQuickPick'];
    const items = HOSTILE.map((h, k) => ({ label: h, node: k }));
    const chosen = await new Notifier(window).pickMany(items, { title: 'nodes' });
    assert.equal(many, true);
    assert.deepEqual(chosen, [items[0], items[2]]);
    for (const s of shown) assert.doesNotMatch(s, LINK, s);
  });

  it('status bar text escapes icon syntax; plain text is otherwise unchanged', () => {
    assert.equal(statusText('$(alert) m.snn'), '\\$(alert) m.snn');
    assert.equal(statusText('\\$(alert)'), '\\$(alert)', 'already escaped stays as it is');
    assert.doesNotMatch(statusText(HOSTILE[0]), LINK);
    assert.equal(plain('m.snn — done, 1,234 spikes'), 'm.snn — done, 1,234 spikes');
  });
});

/** Every .ts file under a folder of the repository, with its text. */
function sources(dir: string): { file: string; text: string }[] {
  return fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .map((file) => ({ file: path.relative(repoRoot, file), text: fs.readFileSync(file, 'utf8') }));
}

describe('one choke point for text shown outside the editor', () => {
  it('no file under extension/src shows a message, progress or quick pick except notify.ts', () => {
    const files = sources('extension/src');
    assert.ok(files.some((f) => f.file.endsWith(path.join('simulation', 'runner.ts'))), 'the scan sees the extension');
    const offenders = files
      .filter((f) => !f.file.endsWith(path.join('extension', 'src', 'notify.ts')))
      .flatMap((f) => [...f.text.matchAll(/\b(show(?:Information|Warning|Error)Message|withProgress|showQuickPick|createQuickPick)\s*[(<]/g)].map((m) => `${f.file}: ${m[1]}`));
    assert.deepEqual(offenders, []);
  });

  it('status bar text and tooltips, and run diagnostics, are built through notify', () => {
    const bar = fs.readFileSync(path.join(repoRoot, 'extension/src/simulation/status-bar.ts'), 'utf8');
    for (const m of bar.matchAll(/this\.item\.(text|tooltip)\s*=\s*([^;]+);/g)) {
      if (m[1] === 'text' && /^'[^'$]*\$\([\w~-]+\)[^'$]*'$/.test(m[2].trim())) continue; // a constant with the product's own icon
      assert.match(m[2], /^(?:`\$\([\w~-]+\) \$\{)?(statusText|plain)\(/, `status bar ${m[1]}: ${m[2]}`);
    }
    const runner = fs.readFileSync(path.join(repoRoot, 'extension/src/simulation/runner.ts'), 'utf8');
    for (const m of runner.matchAll(/new vscode\.Diagnostic\([^,]+,\s*([^,]+),/g)) assert.match(m[1], /^plain\(/, m[1]);
  });

  it('the panels set text with textContent: no HTML parsing, no links', () => {
    const files = sources('webviews');
    assert.ok(files.length > 5);
    const offenders = files.flatMap((f) =>
      [...f.text.matchAll(/\.(innerHTML|outerHTML|insertAdjacentHTML)\b|document\.write\(|createContextualFragment|DOMParser|createElement\(\s*['"]a['"]\s*\)|\.href\s*=|setAttribute\(\s*['"]href/g)].map((m) => `${f.file}: ${m[0]}`),
    );
    assert.deepEqual(offenders, []);
  });
});
