// Running maximum over the last `size` values (monotonic deque: amortised O(1) per push).

export class RollingMax {
  private readonly idx: number[] = [];
  private readonly val: number[] = [];
  private head = 0;
  private n = 0;

  constructor(readonly size: number) {}

  push(v: number): void {
    while (this.val.length > this.head && this.val[this.val.length - 1]! <= v) {
      this.val.pop();
      this.idx.pop();
    }
    this.val.push(v);
    this.idx.push(this.n++);
    while (this.idx[this.head]! <= this.n - 1 - this.size) this.head++;
    if (this.head > 1024) {
      this.val.splice(0, this.head);
      this.idx.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Largest of the last `size` values; -Infinity when empty. */
  max(): number {
    return this.val.length > this.head ? this.val[this.head]! : -Infinity;
  }

  get count(): number {
    return Math.min(this.n, this.size);
  }
}
