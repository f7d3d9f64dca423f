/**
 * Hermitian (real symmetric) eigenproblem, the results of LAPACK's syevd / heevd: Householder
 * tridiagonalisation A = Q·T·Qᴴ with a real tridiagonal T (zhetd2's reflectors), then the
 * implicit QL iteration of EISPACK's tql2 (as JAMA writes it) on T, its real rotations
 * accumulated into the complex Q. Eigenvalues ascending; each eigenvector agrees with
 * LAPACK's up to a sign (phase) where the eigenvalue is simple.
 */
import { hypot, identity } from "./complex.js";
import { gatherV, larfg, larfLeft, larfRight } from "./householder.js";

/**
 * Eigenvalues (ascending) of the n×n Hermitian matrix whose `uplo` triangle `a` holds, and with
 * `vectors` the orthonormal eigenvectors as the columns of the returned interleaved matrix.
 */
export function eigh(uplo: "L" | "U", n: number, a: Float64Array, vectors: boolean): { info: number; w: Float64Array; z: Float64Array | null } {
  // The full matrix from the given triangle; the diagonal's imaginary parts are ignored as LAPACK does.
  for (let j = 0; j < n; j++) {
    a[2 * (j + j * n) + 1] = 0;
    for (let i = j + 1; i < n; i++) {
      const lo = 2 * (i + j * n);
      const up = 2 * (j + i * n);
      const [src, dst] = uplo === "L" ? [lo, up] : [up, lo];
      a[dst] = a[src];
      a[dst + 1] = -a[src + 1];
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(2 * n);
  const v = new Float64Array(2 * n);
  const w = new Float64Array(2 * n);
  const t = new Float64Array(2);
  // T = Hᴴ(n−2)…Hᴴ(0)·A·H(0)…H(n−2), H(k) acting on rows/columns k+1 … n−1.
  for (let k = 0; k < n - 1; k++) {
    larfg(n - k - 1, a, k + 1 + k * n, 1, t);
    tau[2 * k] = t[0];
    tau[2 * k + 1] = t[1];
    e[k] = a[2 * (k + 1 + k * n)];
    d[k] = a[2 * (k + k * n)];
    gatherV(a, k + 2 + k * n, 1, n - k - 1, v);
    larfLeft(v, n - k - 1, t[0], -t[1], a, n, k + 1, k + 1, n);
    larfRight(v, n - k - 1, t[0], t[1], a, n, k + 1, n, k + 1, w);
  }
  if (n > 0) d[n - 1] = a[2 * (n - 1 + (n - 1) * n)];
  let z: Float64Array | null = null;
  if (vectors) {
    z = identity(n);
    for (let k = n - 2; k >= 0; k--) {
      gatherV(a, k + 2 + k * n, 1, n - k - 1, v);
      larfLeft(v, n - k - 1, tau[2 * k], tau[2 * k + 1], z, n, k + 1, k + 1, n);
    }
  }
  const info = tql2(n, d, e, z);
  if (info === 0) sortAscending(n, d, z);
  return { info, w: d, z };
}

/**
 * Eigenvalues of the symmetric tridiagonal (d, e) (e[k] couples k and k+1) by implicit QL
 * with Wilkinson-like shifts, into `d`; rotations accumulate into the columns of `z`.
 * Returns 0, or l+1 when the l-th eigenvalue fails to converge in 30·n sweeps.
 */
function tql2(n: number, d: Float64Array, e: Float64Array, z: Float64Array | null): number {
  if (n === 0) return 0;
  e[n - 1] = 0;
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]) <= eps * tst1)) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 30 * n) return l + 1;
        // Shift from the leading 2×2 of the unreduced block.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // Implicit QL sweep from m up to l.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (z) {
            const a0 = 2 * i * n;
            const a1 = 2 * (i + 1) * n;
            for (let k = 0; k < 2 * n; k++) {
              const hk = z[a1 + k];
              z[a1 + k] = s * z[a0 + k] + c * hk;
              z[a0 + k] = c * z[a0 + k] - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (!(Math.abs(e[l]) <= eps * tst1));
    }
    d[l] += f;
    e[l] = 0;
  }
  return 0;
}

/** Sorts `d` ascending, permuting the columns of `z` alike (selection sort: n swaps at most). */
function sortAscending(n: number, d: Float64Array, z: Float64Array | null): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
    if (k === i) continue;
    const t = d[k];
    d[k] = d[i];
    d[i] = t;
    if (z) {
      for (let r = 0; r < 2 * n; r++) {
        const x = z[2 * i * n + r];
        z[2 * i * n + r] = z[2 * k * n + r];
        z[2 * k * n + r] = x;
      }
    }
  }
}
