// Offsets ↔ zero-based line/character positions (UTF-16 code units, as LSP uses).

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private starts: number[] = [0];
  constructor(readonly text: string) {
    // Line breaks as LSP counts them: \n, \r\n and a lone \r.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  offset(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.starts.length) return this.text.length;
    let lineEnd = p.line + 1 < this.starts.length ? this.starts[p.line + 1] - 1 : this.text.length;
    if (lineEnd > this.starts[p.line] && this.text.charCodeAt(lineEnd - 1) === 13 && this.text.charCodeAt(lineEnd) === 10) lineEnd--;
    return Math.min(this.starts[p.line] + Math.max(0, p.character), lineEnd);
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

/** The first index in [0, n) where `before(i)` is false, for a `before` that is true then false (binary search). */
export function firstIndexWhere(n: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
