/**
 * Cholesky factorisation of a Hermitian positive-definite matrix (LAPACK's potrf), on
 * interleaved complex float64 storage. Only the `uplo` triangle is read and written.
 */

/**
 * Factors the n×n `a` as L·Lᴴ ("L") or Uᴴ·U ("U") in place. Returns 0, or j when the leading
 * minor of order j is not positive definite (its pivot ≤ 0 or NaN), where LAPACK stops too.
 */
export function potrf(uplo: "L" | "U", n: number, a: Float64Array): number {
  // Left-looking, one column of L (or row of U) at a time; "U" is the conjugate mirror of "L".
  const lower = uplo === "L";
  // Element (i, j) of L: a[i, j] for "L", conj(a[j, i]) for "U".
  const at = (i: number, j: number): number => 2 * (lower ? i + j * n : j + i * n);
  const sgn = lower ? 1 : -1;
  for (let j = 0; j < n; j++) {
    const jj = at(j, j);
    let d = a[jj];
    for (let k = 0; k < j; k++) {
      const p = at(j, k);
      d -= a[p] * a[p] + a[p + 1] * a[p + 1];
    }
    if (!(d > 0)) {
      a[jj] = d;
      return j + 1;
    }
    d = Math.sqrt(d);
    a[jj] = d;
    a[jj + 1] = 0;
    for (let i = j + 1; i < n; i++) {
      const q = at(i, j);
      let sr = a[q];
      let si = sgn * a[q + 1];
      for (let k = 0; k < j; k++) {
        // L[i,k]·conj(L[j,k])
        const x = at(i, k);
        const y = at(j, k);
        const xr = a[x];
        const xi = sgn * a[x + 1];
        const yr = a[y];
        const yi = sgn * a[y + 1];
        sr -= xr * yr + xi * yi;
        si -= xi * yr - xr * yi;
      }
      a[q] = sr / d;
      a[q + 1] = (sgn * si) / d;
    }
  }
  return 0;
}
