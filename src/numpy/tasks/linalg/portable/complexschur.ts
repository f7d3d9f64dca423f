/**
 * Complex Schur form of a complex upper Hessenberg matrix by single-shift QR, following
 * LAPACK's zlahqr: real subdiagonal kept real, Wilkinson shifts, the Ahues–Kressner deflation
 * test, exceptional shifts every tenth sweep without deflation, and sweeps started below two
 * consecutive small subdiagonal entries. Eigenvalues come out in zlahqr's order.
 */
import { cdiv, hypot } from "./complex.js";

/**
 * Reduces the n×n complex Hessenberg `h` (interleaved, column-major) to upper triangular
 * T = Zᴴ·H·Z (all of T and `z` updated when `z` is given; only the active block otherwise),
 * T's diagonal into `w` (interleaved). Only rows/columns ilo … ihi are iterated on (balancing
 * isolated the others). Returns 0, or i+1 when the eigenvalues from index i down did not converge.
 */
export function complexSchur(n: number, h: Float64Array, z: Float64Array | null, w: Float64Array, ilo = 0, ihi = n - 1): number {
  const H = (i: number, j: number): number => 2 * (i + j * n);
  const cabs1 = (p: number): number => Math.abs(h[p]) + Math.abs(h[p + 1]);
  if (n === 0) return 0;
  // Eigenvalues that balancing isolated are diagonal entries already.
  for (let i = 0; i < n; i++) {
    if (i >= ilo && i <= ihi) continue;
    w[2 * i] = h[H(i, i)];
    w[2 * i + 1] = h[H(i, i) + 1];
  }
  if (ilo === ihi) {
    w[2 * ilo] = h[H(ilo, ilo)];
    w[2 * ilo + 1] = h[H(ilo, ilo) + 1];
    return 0;
  }
  for (let j = ilo; j <= ihi - 3; j++) {
    h.fill(0, H(j + 2, j), H(j + 2, j) + 2);
    h.fill(0, H(j + 3, j), H(j + 3, j) + 2);
  }
  if (ilo <= ihi - 2) h.fill(0, H(ihi, ihi - 2), H(ihi, ihi - 2) + 2);
  const wantt = z !== null;
  const jlo = wantt ? 0 : ilo;
  const jhi = wantt ? n - 1 : ihi;
  // Scaling a row by s and the matching column by conj(s) is a unitary similarity.
  const scaleRow = (r: number, c0: number, c1: number, sr: number, si: number): void => {
    for (let c = c0; c <= c1; c++) cmulInto(h, H(r, c), sr, si);
  };
  const scaleCol = (a: Float64Array, c: number, r0: number, r1: number, sr: number, si: number): void => {
    for (let r = r0; r <= r1; r++) cmulInto(a, H(r, c), sr, si);
  };
  // Make the subdiagonal real.
  for (let i = ilo + 1; i <= ihi; i++) {
    const p = H(i, i - 1);
    if (h[p + 1] !== 0) {
      const c1 = cabs1(p);
      let sr = h[p] / c1;
      let si = h[p + 1] / c1;
      const a = hypot(sr, si);
      sr /= a;
      si = -si / a;
      h[p] = hypot(h[p], h[p + 1]);
      h[p + 1] = 0;
      scaleRow(i, i, jhi, sr, si);
      scaleCol(h, i, jlo, Math.min(jhi, i + 1), sr, -si);
      if (z) scaleCol(z, i, 0, n - 1, sr, -si);
    }
  }
  const nh = ihi - ilo + 1;
  const ulp = 2 ** -52;
  const smlnum = 2 ** -1022 * (nh / ulp);
  let i1 = 0;
  let i2 = n - 1;
  const itmax = 30 * Math.max(10, nh);
  let kdefl = 0;
  let i = ihi;
  while (i >= ilo) {
    let l = ilo;
    let split = false;
    for (let its = 0; its <= itmax; its++) {
      // Look for a single small subdiagonal element.
      let k: number;
      for (k = i; k > l; k--) {
        if (cabs1(H(k, k - 1)) <= smlnum) break;
        let tst = cabs1(H(k - 1, k - 1)) + cabs1(H(k, k));
        if (tst === 0) {
          if (k - 2 >= ilo) tst += Math.abs(h[H(k - 1, k - 2)]);
          if (k + 1 <= ihi) tst += Math.abs(h[H(k + 1, k)]);
        }
        if (Math.abs(h[H(k, k - 1)]) <= ulp * tst) {
          const ab = Math.max(cabs1(H(k, k - 1)), cabs1(H(k - 1, k)));
          const ba = Math.min(cabs1(H(k, k - 1)), cabs1(H(k - 1, k)));
          const dd = Math.abs(h[H(k - 1, k - 1)] - h[H(k, k)]) + Math.abs(h[H(k - 1, k - 1) + 1] - h[H(k, k) + 1]);
          const aa = Math.max(cabs1(H(k, k)), dd);
          const bb = Math.min(cabs1(H(k, k)), dd);
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smlnum, ulp * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > ilo) h.fill(0, H(l, l - 1), H(l, l - 1) + 2);
      if (l >= i) {
        split = true;
        break;
      }
      kdefl++;
      if (!wantt) {
        i1 = l;
        i2 = i;
      }
      // The shift t.
      let tr: number;
      let ti: number;
      if (kdefl % 20 === 0) {
        tr = 0.75 * Math.abs(h[H(i, i - 1)]) + h[H(i, i)];
        ti = h[H(i, i) + 1];
      } else if (kdefl % 10 === 0) {
        tr = 0.75 * Math.abs(h[H(l + 1, l)]) + h[H(l, l)];
        ti = h[H(l, l) + 1];
      } else {
        // Wilkinson's: the eigenvalue of the trailing 2×2 nearer H(i, i).
        tr = h[H(i, i)];
        ti = h[H(i, i) + 1];
        const [ar, ai] = csqrt(h[H(i - 1, i)], h[H(i - 1, i) + 1]);
        const [br, bi] = csqrt(h[H(i, i - 1)], h[H(i, i - 1) + 1]);
        const ur = ar * br - ai * bi;
        const ui = ar * bi + ai * br;
        let s = Math.abs(ur) + Math.abs(ui);
        if (s !== 0) {
          const xr = 0.5 * (h[H(i - 1, i - 1)] - tr);
          const xi = 0.5 * (h[H(i - 1, i - 1) + 1] - ti);
          const sx = Math.abs(xr) + Math.abs(xi);
          s = Math.max(s, sx);
          const qr = xr / s;
          const qi = xi / s;
          const pr = ur / s;
          const pi = ui / s;
          let [yr, yi] = csqrt(qr * qr - qi * qi + pr * pr - pi * pi, 2 * qr * qi + 2 * pr * pi);
          yr *= s;
          yi *= s;
          if (sx > 0 && (xr / sx) * yr + (xi / sx) * yi < 0) {
            yr = -yr;
            yi = -yi;
          }
          const [dr, di] = cdiv(ur, ui, xr + yr, xi + yi);
          tr -= ur * dr - ui * di;
          ti -= ur * di + ui * dr;
        }
      }
      // Where to start the sweep: below two consecutive small subdiagonal entries if any.
      let m: number;
      let v0r = 0;
      let v0i = 0;
      let v1 = 0;
      for (m = i - 1; m >= l + 1; m--) {
        const h11 = H(m, m);
        const h22 = H(m + 1, m + 1);
        let hsr = h[h11] - tr;
        let hsi = h[h11 + 1] - ti;
        let h21 = h[H(m + 1, m)];
        const s = Math.abs(hsr) + Math.abs(hsi) + Math.abs(h21);
        hsr /= s;
        hsi /= s;
        h21 /= s;
        v0r = hsr;
        v0i = hsi;
        v1 = h21;
        const h10 = h[H(m, m - 1)];
        if (Math.abs(h10) * Math.abs(h21) <= ulp * ((Math.abs(hsr) + Math.abs(hsi)) * (cabs1(h11) + cabs1(h22)))) break;
      }
      if (m === l) {
        const hsr0 = h[H(l, l)] - tr;
        const hsi0 = h[H(l, l) + 1] - ti;
        const h21 = h[H(l + 1, l)];
        const s = Math.abs(hsr0) + Math.abs(hsi0) + Math.abs(h21);
        v0r = hsr0 / s;
        v0i = hsi0 / s;
        v1 = h21 / s;
      }
      // The single-shift sweep: 2-reflectors, the first from v, the rest chasing the bulge.
      let v1r = v1;
      let v1i = 0;
      for (let k2 = m; k2 <= i - 1; k2++) {
        if (k2 > m) {
          v0r = h[H(k2, k2 - 1)];
          v0i = h[H(k2, k2 - 1) + 1];
          v1r = h[H(k2 + 1, k2 - 1)];
          v1i = h[H(k2 + 1, k2 - 1) + 1];
        }
        // zlarfg(2, v0, v1)
        let t1r = 0;
        let t1i = 0;
        const xnorm = hypot(v1r, v1i);
        if (xnorm !== 0 || v0i !== 0) {
          const nrm = hypot(hypot(v0r, v0i), xnorm);
          const beta = v0r >= 0 ? -nrm : nrm;
          t1r = (beta - v0r) / beta;
          t1i = -v0i / beta;
          const [sr, si] = cdiv(1, 0, v0r - beta, v0i);
          const nr = v1r * sr - v1i * si;
          v1i = v1r * si + v1i * sr;
          v1r = nr;
          v0r = beta;
          v0i = 0;
        }
        if (k2 > m) {
          h[H(k2, k2 - 1)] = v0r;
          h[H(k2, k2 - 1) + 1] = v0i;
          h.fill(0, H(k2 + 1, k2 - 1), H(k2 + 1, k2 - 1) + 2);
        }
        const t2 = t1r * v1r - t1i * v1i; // real, as zlahqr notes
        for (let j = k2; j <= i2; j++) {
          const a = H(k2, j);
          const b = H(k2 + 1, j);
          const sr = t1r * h[a] + t1i * h[a + 1] + t2 * h[b];
          const si = t1r * h[a + 1] - t1i * h[a] + t2 * h[b + 1];
          h[a] -= sr;
          h[a + 1] -= si;
          h[b] -= sr * v1r - si * v1i;
          h[b + 1] -= sr * v1i + si * v1r;
        }
        const applyRight = (x: Float64Array, r0: number, r1: number): void => {
          for (let j = r0; j <= r1; j++) {
            const a = H(j, k2);
            const b = H(j, k2 + 1);
            const sr = t1r * x[a] - t1i * x[a + 1] + t2 * x[b];
            const si = t1r * x[a + 1] + t1i * x[a] + t2 * x[b + 1];
            x[a] -= sr;
            x[a + 1] -= si;
            x[b] -= sr * v1r + si * v1i;
            x[b + 1] -= si * v1r - sr * v1i;
          }
        };
        applyRight(h, i1, Math.min(k2 + 2, i));
        if (z) applyRight(z, 0, n - 1);
        if (k2 === m && m > l) {
          // Started below l: rescale so that H(m, m−1) stays real.
          let er = 1 - t1r;
          let ei = -t1i;
          const ea = hypot(er, ei);
          er /= ea;
          ei /= ea;
          cmulInto(h, H(m + 1, m), er, -ei);
          if (m + 2 <= i) cmulInto(h, H(m + 2, m + 1), er, ei);
          for (let j = m; j <= i; j++) {
            if (j === m + 1) continue;
            if (i2 > j) scaleRow(j, j + 1, i2, er, ei);
            scaleCol(h, j, i1, j - 1, er, -ei);
            if (z) scaleCol(z, j, 0, n - 1, er, -ei);
          }
        }
      }
      // Keep H(i, i−1) real.
      const p = H(i, i - 1);
      if (h[p + 1] !== 0) {
        const rt = hypot(h[p], h[p + 1]);
        const er = h[p] / rt;
        const ei = h[p + 1] / rt;
        h[p] = rt;
        h[p + 1] = 0;
        if (i2 > i) scaleRow(i, i + 1, i2, er, -ei);
        scaleCol(h, i, i1, i - 1, er, ei);
        if (z) scaleCol(z, i, 0, n - 1, er, ei);
      }
    }
    if (!split) return i + 1;
    w[2 * i] = h[H(i, i)];
    w[2 * i + 1] = h[H(i, i) + 1];
    kdefl = 0;
    i = l - 1;
  }
  return 0;
}

/** a[p] ← a[p]·(sr + i·si) for the complex element at lane p. */
function cmulInto(a: Float64Array, p: number, sr: number, si: number): void {
  const xr = a[p];
  const xi = a[p + 1];
  a[p] = xr * sr - xi * si;
  a[p + 1] = xr * si + xi * sr;
}

/** Principal square root of re + i·im. */
function csqrt(re: number, im: number): [number, number] {
  const m = hypot(re, im);
  if (m === 0) return [0, 0];
  if (re >= 0) {
    const t = Math.sqrt((m + re) / 2);
    return [t, im / (2 * t)];
  }
  const t = Math.sqrt((m - re) / 2);
  return [Math.abs(im) / (2 * t), im < 0 ? -t : t];
}
