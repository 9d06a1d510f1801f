// The G.722 quadrature mirror filter history shared by the transmit QMF (encoder: the even and
// odd 16 kHz samples) and the receive QMF (decoder: the band sums and differences), with the
// 24 ITU-T G.722 QMF coefficients split into the x (odd) and y (even) halves, as in libspandsp.
const imul = Math.imul;

export class G722Qmf {
  /** x·h(odd) and y·h(even) after the last push. */
  odd = 0;
  even = 0;
  /**
   * A 12-entry ring per input written twice (at i and i + 12) so the 12 newest samples are
   * always contiguous from `ptr`.
   */
  private readonly x = new Int32Array(24);
  private readonly y = new Int32Array(24);
  private ptr = 0;

  reset(): void {
    this.x.fill(0);
    this.y.fill(0);
    this.ptr = 0;
    this.odd = 0;
    this.even = 0;
  }

  /** Adds one pair to the history and filters it (results in `odd` and `even`). */
  push(xs: number, ys: number): void {
    const x = this.x;
    const y = this.y;
    let ptr = this.ptr;
    x[ptr] = xs;
    x[ptr + 12] = xs;
    y[ptr] = ys;
    y[ptr + 12] = ys;
    if (++ptr >= 12) ptr = 0;
    this.ptr = ptr;
    const p = ptr;
    this.odd =
      imul(x[p]!, 3) +
      imul(x[p + 1]!, -11) +
      imul(x[p + 2]!, 12) +
      imul(x[p + 3]!, 32) +
      imul(x[p + 4]!, -210) +
      imul(x[p + 5]!, 951) +
      imul(x[p + 6]!, 3876) +
      imul(x[p + 7]!, -805) +
      imul(x[p + 8]!, 362) +
      imul(x[p + 9]!, -156) +
      imul(x[p + 10]!, 53) +
      imul(x[p + 11]!, -11);
    this.even =
      imul(y[p]!, -11) +
      imul(y[p + 1]!, 53) +
      imul(y[p + 2]!, -156) +
      imul(y[p + 3]!, 362) +
      imul(y[p + 4]!, -805) +
      imul(y[p + 5]!, 3876) +
      imul(y[p + 6]!, 951) +
      imul(y[p + 7]!, -210) +
      imul(y[p + 8]!, 32) +
      imul(y[p + 9]!, 12) +
      imul(y[p + 10]!, -11) +
      imul(y[p + 11]!, 3);
  }
}
