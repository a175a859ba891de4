// The panels' toolbar: their summary on the left, controls (vscode-elements buttons and
// selects, keyboard-reachable as they come) on the right, and the hint line under the plot.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { el } from './dom';

export type Select = HTMLElement & { value: string };
export type ExportFormat = 'png' | 'svg' | 'csv';

/** A `.toolbar` in `root` holding `leading` (summary, legend…), a spacer and the `.controls` it returns. */
export function toolbar(root: HTMLElement, ...leading: HTMLElement[]): HTMLElement {
  const top = el('div', 'toolbar', root);
  top.append(...leading);
  el('span', 'spacer', top);
  return el('div', 'controls', top);
}

/** A vscode-button (secondary unless `primary`); `title` is its tooltip. */
export function button(parent: HTMLElement, label: string, title: string, onClick: () => void, primary = false): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.title = title;
  if (!primary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  parent.append(b);
  return b;
}

/** A vscode-single-select of `options` ([value, text]) with `value` selected; `label` names it for screen readers. */
export function select(parent: HTMLElement, label: string, options: [string, string][], value: string): Select {
  const s = document.createElement('vscode-single-select') as unknown as Select;
  s.setAttribute('aria-label', label);
  for (const [v, text] of options) {
    const o = document.createElement('vscode-option');
    o.setAttribute('value', v);
    if (v === value) o.setAttribute('selected', '');
    o.textContent = text;
    s.appendChild(o);
  }
  parent.append(s);
  return s;
}

/** The export format select (PNG, SVG, CSV) and the Export… button, which calls `onExport` with the format chosen. */
export function exportControls(parent: HTMLElement, title: string, onExport: (format: ExportFormat) => void): Select {
  const format = select(parent, 'Export format', [['png', 'PNG'], ['svg', 'SVG'], ['csv', 'CSV']], 'png');
  format.classList.add('export-format');
  button(parent, 'Export…', title, () => onExport((format.value || 'png') as ExportFormat), true);
  return format;
}

let hintIds = 0;

/**
 * The mouse and keyboard help under a panel's plot: `text`'s ` · `-separated parts as a list
 * that wraps between parts (never cut off, whatever the width).
 */
export function hint(root: HTMLElement, text: string): HTMLElement {
  const h = el('ul', 'hint', root);
  h.id = `spikeworks-hint-${++hintIds}`;
  h.setAttribute('aria-label', 'Mouse and keyboard help');
  for (const part of text.split(' · ')) el('li', undefined, h).textContent = part;
  return h;
}

/**
 * A Help button in the toolbar that shows or hides the help list (a vscode-button: Tab reaches
 * it, Enter and Space press it; aria-expanded says the state).
 */
export function helpToggle(parent: HTMLElement, help: HTMLElement): HTMLElement {
  const b = button(parent, 'Help', 'Show or hide the mouse and keyboard help', () => {
    help.hidden = !help.hidden;
    b.setAttribute('aria-expanded', String(!help.hidden));
  });
  b.classList.add('help-toggle');
  b.setAttribute('aria-controls', help.id);
  b.setAttribute('aria-expanded', String(!help.hidden));
  return b;
}
