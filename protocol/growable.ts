// A typed array that grows by doubling: the one way the engine's spike and trace records, the
// extension's run store and the panels append the chunks that stream between them. Plain code
// with no imports, so that every side (worker, extension host, webview) may use it.

type Typed = Int32Array | Float32Array;

export class Growable<A extends Typed> {
  private buf: A;
  length = 0;
  constructor(private make: (n: number) => A, capacity = 1024) {
    this.buf = make(Math.max(16, capacity));
  }
  private reserve(n: number): void {
    if (n <= this.buf.length) return;
    const b = this.make(Math.max(this.buf.length * 2, n));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  push(x: number): void {
    if (this.length === this.buf.length) this.reserve(this.length + 1);
    this.buf[this.length++] = x;
  }
  append(xs: ArrayLike<number>): void {
    this.reserve(this.length + xs.length);
    this.buf.set(xs, this.length);
    this.length += xs.length;
  }
  /** The elements from `from` on, as a view (valid until the next push or append). */
  view(from = 0): A {
    return this.buf.subarray(from, this.length) as A;
  }
}

export const growableInt32 = (capacity?: number) => new Growable((n) => new Int32Array(n), capacity);
export const growableFloat32 = (capacity?: number) => new Growable((n) => new Float32Array(n), capacity);
