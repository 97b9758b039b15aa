// A sorted multiset of numbers in a Float64Array: counts below a threshold by
// binary search. Bulk loads append and sort once, on the first read.
export class SortedKeys {
  private buf = new Float64Array(4);
  private len = 0;
  private dirty = false;

  get size(): number {
    return this.len;
  }

  /** Appends without keeping order (bulk load); the next read sorts. */
  push(v: number): void {
    if (this.len === this.buf.length) this.grow();
    if (this.len > 0 && v < this.buf[this.len - 1]) this.dirty = true;
    this.buf[this.len++] = v;
  }

  /** Inserts in place (memmove); appends when a bulk load is pending anyway. */
  insert(v: number): void {
    if (this.dirty) {
      this.push(v);
      return;
    }
    if (this.len === this.buf.length) this.grow();
    const i = this.upperBound(v);
    this.buf.copyWithin(i + 1, i, this.len);
    this.buf[i] = v;
    this.len++;
  }

  /** Removes one occurrence of `v`; false when there is none. */
  remove(v: number): boolean {
    if (this.dirty) {
      // Unsorted: swap with the last element, which keeps it unsorted, not wrong.
      for (let i = 0; i < this.len; i++) {
        if (this.buf[i] === v) {
          this.buf[i] = this.buf[--this.len];
          return true;
        }
      }
      return false;
    }
    const i = this.lowerBound(v);
    if (i >= this.len || this.buf[i] !== v) return false;
    this.buf.copyWithin(i, i + 1, this.len);
    this.len--;
    return true;
  }

  /** How many elements are < t. */
  countBelow(t: number): number {
    this.sort();
    return this.lowerBound(t);
  }

  /** How many elements are ≤ t. */
  countAtMost(t: number): number {
    this.sort();
    return this.upperBound(t);
  }

  /** The smallest element > t, or null. */
  firstAbove(t: number): number | null {
    this.sort();
    const i = this.upperBound(t);
    return i < this.len ? this.buf[i] : null;
  }

  /** Bytes held by the buffer. */
  get byteLength(): number {
    return this.buf.byteLength;
  }

  private sort(): void {
    if (!this.dirty) return;
    this.buf.subarray(0, this.len).sort();
    this.dirty = false;
  }

  private grow(): void {
    const next = new Float64Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }

  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(t: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
