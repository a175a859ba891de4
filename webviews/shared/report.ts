// Building blocks of the report-like panels (Target Report, Circuits): titled sections and
// tables of text cells. Every cell and title is set with textContent.
import { el } from './dom';

/**
 * A table in `parent`: `label` names it for screen readers, `numeric(col)` columns are
 * right-aligned (class `num`), and with `rowHeaders` each row's first cell is its header.
 */
export function dataTable(parent: HTMLElement, label: string, header: string[], rows: string[][], numeric: (col: number) => boolean, o: { className: string; rowHeaders?: boolean }): HTMLTableElement {
  const t = el('table', o.className, parent);
  t.setAttribute('aria-label', label);
  const hr = el('tr', undefined, el('thead', undefined, t));
  header.forEach((h, k) => {
    const th = el('th', numeric(k) ? 'num' : undefined, hr);
    th.scope = 'col';
    th.textContent = h;
  });
  const body = el('tbody', undefined, t);
  for (const row of rows) {
    const tr = el('tr', undefined, body);
    row.forEach((c, k) => {
      const head = o.rowHeaders && k === 0;
      const td = el(head ? 'th' : 'td', numeric(k) ? 'num' : undefined, tr);
      if (head) (td as HTMLTableCellElement).scope = 'row';
      td.textContent = c;
    });
  }
  return t;
}

/** A `<section>` of class `className` in `parent` with an `<h2>` title and, when given, a note under it. */
export function titledSection(parent: HTMLElement, title: string, className: string, note?: string): HTMLElement {
  const s = el('section', className, parent);
  el('h2', undefined, s).textContent = title;
  if (note) el('p', 'note', s).textContent = note;
  return s;
}
