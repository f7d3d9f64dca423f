/**
 * Balancing of a general matrix before its eigenproblem (LAPACK's gebal with job "B", and
 * gebak for the eigenvectors), on interleaved complex float64 storage: rows and columns that
 * isolate an eigenvalue are permuted to the ends, then the rest is scaled by powers of 2 so
 * that rows and columns have similar norms. geev does this, and it decides the eigenvalue
 * order, so the portable geev does it too.
 */
import { nrm2 } from "./complex.js";

/** The balanced block ilo … ihi (0-based, inclusive) and gebal's `scale` (permutation targets outside it, factors inside). */
export interface Balance {
  ilo: number;
  ihi: number;
  scale: Float64Array;
}

/** Balances the n×n interleaved `a` in place. */
export function balance(n: number, a: Float64Array): Balance {
  const A = (i: number, j: number): number => 2 * (i + j * n);
  const nz = (i: number, j: number): boolean => a[A(i, j)] !== 0 || a[A(i, j) + 1] !== 0;
  const scale = new Float64Array(n);
  if (n === 0) return { ilo: 0, ihi: -1, scale };
  let k = 0;
  let l = n - 1;
  // Exchange row and column j with m (columns over rows 0 … l, rows over columns k … n−1).
  const exchange = (j: number, m: number): void => {
    scale[m] = j;
    if (j === m) return;
    for (let r = 0; r <= l; r++) swap(a, A(r, j), A(r, m));
    for (let c = k; c < n; c++) swap(a, A(j, c), A(m, c));
  };
  // Rows with no off-diagonal entry in columns 0 … l isolate an eigenvalue: push them down.
  for (;;) {
    let found = -1;
    for (let j = l; j >= 0 && found < 0; j--) {
      let isolated = true;
      for (let i = 0; i <= l && isolated; i++) if (i !== j && nz(j, i)) isolated = false;
      if (isolated) found = j;
    }
    if (found < 0) break;
    exchange(found, l);
    if (l === 0) {
      scale[0] = 1; // found is 0 here: no exchange, and the 1×1 block is unscaled
      return { ilo: 0, ihi: 0, scale };
    }
    l--;
  }
  // Columns with no off-diagonal entry in rows k … l: push them left.
  for (;;) {
    let found = -1;
    for (let j = k; j <= l && found < 0; j++) {
      let isolated = true;
      for (let i = k; i <= l && isolated; i++) if (i !== j && nz(i, j)) isolated = false;
      if (isolated) found = j;
    }
    if (found < 0) break;
    exchange(found, k);
    k++;
  }
  for (let i = k; i <= l; i++) scale[i] = 1;
  // Scale by powers of 2 until no row/column pair's norm sum drops by 5% any more.
  const sfmin1 = 2 ** -1022 / 2 ** -52;
  const sfmax1 = 1 / sfmin1;
  const sfmin2 = sfmin1 * 2;
  const sfmax2 = 1 / sfmin2;
  let noconv = true;
  while (noconv) {
    noconv = false;
    for (let i = k; i <= l; i++) {
      let c = nrm2(a, k + i * n, l - k + 1);
      let r = nrm2(a, i + k * n, l - k + 1, n);
      let ca = amaxModulus(a, i * n, l + 1, 1);
      let ra = amaxModulus(a, i + k * n, n - k, n);
      if (c === 0 || r === 0) continue;
      if (Number.isNaN(c + r + ca + ra)) return { ilo: k, ihi: l, scale };
      let g = r / 2;
      let f = 1;
      const s = c + r;
      while (!(c >= g || Math.max(f, c, ca) >= sfmax2 || Math.min(r, g, ra) <= sfmin2)) {
        f *= 2;
        c *= 2;
        ca *= 2;
        r /= 2;
        g /= 2;
        ra /= 2;
      }
      g = c / 2;
      while (!(g < r || Math.max(r, ra) >= sfmax2 || Math.min(f, c, g, ca) <= sfmin2)) {
        f /= 2;
        c /= 2;
        g /= 2;
        ca /= 2;
        r *= 2;
        ra *= 2;
      }
      if (c + r >= 0.95 * s) continue;
      if (f < 1 && scale[i] < 1 && f * scale[i] <= sfmin1) continue;
      if (f > 1 && scale[i] > 1 && scale[i] >= sfmax1 / f) continue;
      g = 1 / f;
      scale[i] *= f;
      noconv = true;
      for (let c2 = k; c2 < n; c2++) {
        a[A(i, c2)] *= g;
        a[A(i, c2) + 1] *= g;
      }
      for (let r2 = 0; r2 <= l; r2++) {
        a[A(r2, i)] *= f;
        a[A(r2, i) + 1] *= f;
      }
    }
  }
  return { ilo: k, ihi: l, scale };
}

/** |x| of the first element of largest |re| + |im| (i?amax's choice) among `count` elements from element `off`, stride `inc`. */
function amaxModulus(a: Float64Array, off: number, count: number, inc: number): number {
  let best = -1;
  let at = off;
  for (let e = 0, p = off; e < count; e++, p += inc) {
    const v = Math.abs(a[2 * p]) + Math.abs(a[2 * p + 1]);
    if (v > best) {
      best = v;
      at = p;
    }
  }
  return Math.hypot(a[2 * at], a[2 * at + 1]);
}

/** Swaps the complex elements at lanes p and q. */
function swap(a: Float64Array, p: number, q: number): void {
  for (let t = 0; t < 2; t++) {
    const x = a[p + t];
    a[p + t] = a[q + t];
    a[q + t] = x;
  }
}

/**
 * gebak for right eigenvectors: rescales rows ilo … ihi of the n×n `v` (`lanes` numbers per
 * element: 1 real, 2 complex) and undoes the permutations, so that `v` holds the vectors of
 * the matrix before balancing.
 */
export function unbalance(n: number, v: Float64Array, lanes: number, b: Balance): void {
  const row = (i: number, j: number): number => lanes * (i + j * n);
  for (let i = b.ilo; i <= b.ihi; i++) {
    const s = b.scale[i];
    if (s !== 1) for (let j = 0; j < n; j++) for (let t = 0; t < lanes; t++) v[row(i, j) + t] *= s;
  }
  for (let ii = 0; ii < n; ii++) {
    let i = ii;
    if (i >= b.ilo && i <= b.ihi) continue;
    if (i < b.ilo) i = b.ilo - 1 - ii;
    const k = b.scale[i];
    if (k === i) continue;
    for (let j = 0; j < n; j++) {
      for (let t = 0; t < lanes; t++) {
        const x = v[row(i, j) + t];
        v[row(i, j) + t] = v[row(k, j) + t];
        v[row(k, j) + t] = x;
      }
    }
  }
}
