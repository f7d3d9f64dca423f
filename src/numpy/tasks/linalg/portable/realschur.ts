/**
 * Real Schur form of a real upper Hessenberg matrix by Francis double-shift QR, following
 * LAPACK's dlahqr (its shifts, its Ahues–Kressner deflation test and its exceptional shifts)
 * with 2×2 blocks standardised by dlanv2. Eigenvalues come out in dlahqr's order, which is
 * dgeev's for matrices below dhseqr's small-matrix limit (75); rounding can still swap
 * nearly equal ones.
 */

/**
 * Reduces the n×n Hessenberg `h` (column-major) to real Schur form T = Zᵀ·H·Z (the whole of T
 * and `z` updated when `z` is given; only the active block otherwise), with the eigenvalues'
 * real and imaginary parts in `wr`, `wi` (pairs adjacent, positive imaginary part first).
 * Only rows/columns ilo … ihi are iterated on (balancing isolated the others). Returns 0, or
 * i+1 when the eigenvalues from index i down did not converge.
 */
export function realSchur(n: number, h: Float64Array, z: Float64Array | null, wr: Float64Array, wi: Float64Array, ilo = 0, ihi = n - 1): number {
  const H = (i: number, j: number): number => i + j * n;
  if (n === 0) return 0;
  // Eigenvalues that balancing isolated are diagonal entries already.
  for (let i = 0; i < n; i++) {
    if (i >= ilo && i <= ihi) continue;
    wr[i] = h[H(i, i)];
    wi[i] = 0;
  }
  if (ilo === ihi) {
    wr[ilo] = h[H(ilo, ilo)];
    wi[ilo] = 0;
    return 0;
  }
  for (let j = ilo; j <= ihi - 3; j++) {
    h[H(j + 2, j)] = 0;
    h[H(j + 3, j)] = 0;
  }
  if (ilo <= ihi - 2) h[H(ihi, ihi - 2)] = 0;
  const nh = ihi - ilo + 1;
  const ulp = 2 ** -52;
  const smlnum = 2 ** -1022 * (nh / ulp);
  const wantt = z !== null;
  // Rows / columns of H that transformations touch: all of them for the full Schur form.
  let i1 = 0;
  let i2 = n - 1;
  const itmax = 30 * Math.max(10, nh);
  const v = new Float64Array(3);
  const rot = new Float64Array(6);
  let kdefl = 0;
  let i = ihi;
  while (i >= ilo) {
    let l = ilo;
    let split = false;
    for (let its = 0; its <= itmax; its++) {
      // Look for a single small subdiagonal element.
      let k: number;
      for (k = i; k > l; k--) {
        const hkk1 = Math.abs(h[H(k, k - 1)]);
        if (hkk1 <= smlnum) break;
        let tst = Math.abs(h[H(k - 1, k - 1)]) + Math.abs(h[H(k, k)]);
        if (tst === 0) {
          if (k - 2 >= ilo) tst += Math.abs(h[H(k - 1, k - 2)]);
          if (k + 1 <= ihi) tst += Math.abs(h[H(k + 1, k)]);
        }
        if (hkk1 <= ulp * tst) {
          const hk1k = Math.abs(h[H(k - 1, k)]);
          const ab = Math.max(hkk1, hk1k);
          const ba = Math.min(hkk1, hk1k);
          const diff = Math.abs(h[H(k - 1, k - 1)] - h[H(k, k)]);
          const aa = Math.max(Math.abs(h[H(k, k)]), diff);
          const bb = Math.min(Math.abs(h[H(k, k)]), diff);
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smlnum, ulp * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > ilo) h[H(l, l - 1)] = 0;
      if (l >= i - 1) {
        split = true;
        break;
      }
      kdefl++;
      if (!wantt) {
        i1 = l;
        i2 = i;
      }
      // The shifts: the trailing 2×2's eigenvalues (one of them twice if real), or now and
      // then an exceptional shift to break a cycle.
      let h11: number;
      let h12: number;
      let h21: number;
      let h22: number;
      if (kdefl % 20 === 0) {
        const s = Math.abs(h[H(i, i - 1)]) + Math.abs(h[H(i - 1, i - 2)]);
        h11 = 0.75 * s + h[H(i, i)];
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else if (kdefl % 10 === 0) {
        const s = Math.abs(h[H(l + 1, l)]) + Math.abs(h[H(l + 2, l + 1)]);
        h11 = 0.75 * s + h[H(l, l)];
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else {
        h11 = h[H(i - 1, i - 1)];
        h21 = h[H(i, i - 1)];
        h12 = h[H(i - 1, i)];
        h22 = h[H(i, i)];
      }
      let rt1r = 0;
      let rt1i = 0;
      let rt2r = 0;
      let rt2i = 0;
      const s = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
      if (s !== 0) {
        h11 /= s;
        h21 /= s;
        h12 /= s;
        h22 /= s;
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = Math.sqrt(Math.abs(det));
        if (det >= 0) {
          rt1r = tr * s;
          rt2r = rt1r;
          rt1i = rtdisc * s;
          rt2i = -rt1i;
        } else {
          // Two real shifts: use the one nearer h22 twice.
          rt1r = tr + rtdisc;
          rt2r = tr - rtdisc;
          if (Math.abs(rt1r - h22) <= Math.abs(rt2r - h22)) {
            rt1r *= s;
            rt2r = rt1r;
          } else {
            rt2r *= s;
            rt1r = rt2r;
          }
        }
      }
      // Look for two consecutive small subdiagonal elements (where to start the sweep).
      let m: number;
      for (m = i - 2; m >= l; m--) {
        let h21s = h[H(m + 1, m)];
        let sc = Math.abs(h[H(m, m)] - rt2r) + Math.abs(rt2i) + Math.abs(h21s);
        h21s = h[H(m + 1, m)] / sc;
        v[0] = h21s * h[H(m, m + 1)] + (h[H(m, m)] - rt1r) * ((h[H(m, m)] - rt2r) / sc) - rt1i * (rt2i / sc);
        v[1] = h21s * (h[H(m, m)] + h[H(m + 1, m + 1)] - rt1r - rt2r);
        v[2] = h21s * h[H(m + 2, m + 1)];
        sc = Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]);
        v[0] /= sc;
        v[1] /= sc;
        v[2] /= sc;
        if (m === l) break;
        const h00 = Math.abs(h[H(m, m - 1)]) * (Math.abs(v[1]) + Math.abs(v[2]));
        const h01 = ulp * Math.abs(v[0]) * (Math.abs(h[H(m - 1, m - 1)]) + Math.abs(h[H(m, m)]) + Math.abs(h[H(m + 1, m + 1)]));
        if (h00 <= h01) break;
      }
      // The double-shift sweep: a 3-reflector from v, then reflectors chasing the bulge down.
      for (let k2 = m; k2 <= i - 1; k2++) {
        const nr = Math.min(3, i - k2 + 1);
        if (k2 > m) for (let r = 0; r < nr; r++) v[r] = h[H(k2 + r, k2 - 1)];
        const t1 = larfg3(nr, v);
        if (k2 > m) {
          h[H(k2, k2 - 1)] = v[0];
          h[H(k2 + 1, k2 - 1)] = 0;
          if (k2 < i - 1) h[H(k2 + 2, k2 - 1)] = 0;
        } else if (m > l) {
          // Rather than negating H(k, k−1): safe when v[1], v[2] underflow.
          h[H(k2, k2 - 1)] *= 1 - t1;
        }
        const v2 = v[1];
        const t2 = t1 * v2;
        if (nr === 3) {
          const v3 = v[2];
          const t3 = t1 * v3;
          for (let j = k2; j <= i2; j++) {
            const sum = h[H(k2, j)] + v2 * h[H(k2 + 1, j)] + v3 * h[H(k2 + 2, j)];
            h[H(k2, j)] -= sum * t1;
            h[H(k2 + 1, j)] -= sum * t2;
            h[H(k2 + 2, j)] -= sum * t3;
          }
          for (let j = i1, je = Math.min(k2 + 3, i); j <= je; j++) {
            const sum = h[H(j, k2)] + v2 * h[H(j, k2 + 1)] + v3 * h[H(j, k2 + 2)];
            h[H(j, k2)] -= sum * t1;
            h[H(j, k2 + 1)] -= sum * t2;
            h[H(j, k2 + 2)] -= sum * t3;
          }
          if (z) {
            for (let j = 0; j < n; j++) {
              const sum = z[H(j, k2)] + v2 * z[H(j, k2 + 1)] + v3 * z[H(j, k2 + 2)];
              z[H(j, k2)] -= sum * t1;
              z[H(j, k2 + 1)] -= sum * t2;
              z[H(j, k2 + 2)] -= sum * t3;
            }
          }
        } else if (nr === 2) {
          for (let j = k2; j <= i2; j++) {
            const sum = h[H(k2, j)] + v2 * h[H(k2 + 1, j)];
            h[H(k2, j)] -= sum * t1;
            h[H(k2 + 1, j)] -= sum * t2;
          }
          for (let j = i1; j <= i; j++) {
            const sum = h[H(j, k2)] + v2 * h[H(j, k2 + 1)];
            h[H(j, k2)] -= sum * t1;
            h[H(j, k2 + 1)] -= sum * t2;
          }
          if (z) {
            for (let j = 0; j < n; j++) {
              const sum = z[H(j, k2)] + v2 * z[H(j, k2 + 1)];
              z[H(j, k2)] -= sum * t1;
              z[H(j, k2 + 1)] -= sum * t2;
            }
          }
        }
      }
    }
    if (!split) return i + 1;
    if (l === i) {
      wr[i] = h[H(i, i)];
      wi[i] = 0;
    } else {
      // A 2×2 block: standardise it and rotate the rest of T and Z alike.
      lanv2(h[H(i - 1, i - 1)], h[H(i - 1, i)], h[H(i, i - 1)], h[H(i, i)], rot);
      h[H(i - 1, i - 1)] = rot[0];
      h[H(i - 1, i)] = rot[1];
      h[H(i, i - 1)] = rot[2];
      h[H(i, i)] = rot[3];
      const cs = rot[4];
      const sn = rot[5];
      wr[i - 1] = rot[0];
      wr[i] = rot[3];
      const im = rot[2] === 0 ? 0 : Math.sqrt(Math.abs(rot[1])) * Math.sqrt(Math.abs(rot[2]));
      wi[i - 1] = im;
      wi[i] = im === 0 ? 0 : -im;
      if (wantt) {
        for (let j = i + 1; j <= i2; j++) {
          const x = h[H(i - 1, j)];
          const y = h[H(i, j)];
          h[H(i - 1, j)] = cs * x + sn * y;
          h[H(i, j)] = cs * y - sn * x;
        }
        for (let r = i1; r <= i - 2; r++) {
          const x = h[H(r, i - 1)];
          const y = h[H(r, i)];
          h[H(r, i - 1)] = cs * x + sn * y;
          h[H(r, i)] = cs * y - sn * x;
        }
      }
      if (z) {
        for (let r = 0; r < n; r++) {
          const x = z[H(r, i - 1)];
          const y = z[H(r, i)];
          z[H(r, i - 1)] = cs * x + sn * y;
          z[H(r, i)] = cs * y - sn * x;
        }
      }
    }
    kdefl = 0;
    i = l - 1;
  }
  return 0;
}

/** dlarfg on the small real vector v[0 … nr−1]: v[0] ← β, v[1…] ← the reflector's tail; returns τ. */
function larfg3(nr: number, v: Float64Array): number {
  if (nr <= 1) return 0;
  const alpha = v[0];
  const xnorm = nr === 2 ? Math.abs(v[1]) : Math.hypot(v[1], v[2]);
  if (xnorm === 0) return 0;
  const norm = Math.hypot(alpha, xnorm);
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const scal = 1 / (alpha - beta);
  for (let r = 1; r < nr; r++) v[r] *= scal;
  v[0] = beta;
  return tau;
}

/**
 * dlanv2: the Schur factorisation of the real 2×2 [a b; c d] in standard form (c = 0 for real
 * eigenvalues; a = d and b·c < 0 for a complex pair). Writes a, b, c, d, cs, sn into `out`.
 */
function lanv2(a: number, b: number, c: number, d: number, out: Float64Array): void {
  const eps = 2 ** -52;
  let cs = 1;
  let sn = 0;
  const sign = (x: number, y: number): number => (y >= 0 && !Object.is(y, -0) ? Math.abs(x) : -Math.abs(x));
  if (c === 0) {
    // already upper triangular
  } else if (b === 0) {
    // Swap rows and columns.
    cs = 0;
    sn = 1;
    const t = d;
    d = a;
    a = t;
    b = -c;
    c = 0;
  } else if (a - d === 0 && sign(1, b) !== sign(1, c)) {
    // already standard
  } else {
    let temp = a - d;
    let p = 0.5 * temp;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sign(1, b) * sign(1, c);
    let scale = Math.max(Math.abs(p), bcmax);
    let zz = (p / scale) * p + (bcmax / scale) * bcmis;
    if (zz >= 4 * eps) {
      // Real eigenvalues.
      zz = p + sign(Math.sqrt(scale) * Math.sqrt(zz), p);
      a = d + zz;
      d = d - (bcmax / zz) * bcmis;
      const tau = Math.hypot(c, zz);
      cs = zz / tau;
      sn = c / tau;
      b = b - c;
      c = 0;
    } else {
      // Complex or nearly equal real eigenvalues: make the diagonal equal.
      const sigma = b + c;
      scale = Math.max(Math.abs(temp), Math.abs(sigma));
      p = 0.5 * temp;
      const tau = Math.hypot(sigma, temp);
      cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau));
      sn = -(p / (tau * cs)) * sign(1, sigma);
      const aa = a * cs + b * sn;
      const bb = -a * sn + b * cs;
      const cc = c * cs + d * sn;
      const dd = -c * sn + d * cs;
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      temp = 0.5 * (a + d);
      a = temp;
      d = temp;
      if (c !== 0) {
        if (b !== 0) {
          if (sign(1, b) === sign(1, c)) {
            // Real eigenvalues after all: reduce to upper triangular form.
            const sab = Math.sqrt(Math.abs(b));
            const sac = Math.sqrt(Math.abs(c));
            p = sign(sab * sac, c);
            const tau2 = 1 / Math.sqrt(Math.abs(b + c));
            a = temp + p;
            d = temp - p;
            b = b - c;
            c = 0;
            const cs1 = sab * tau2;
            const sn1 = sac * tau2;
            const t = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = t;
          }
        } else {
          b = -c;
          c = 0;
          const t = cs;
          cs = -sn;
          sn = t;
        }
      }
    }
  }
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
  out[4] = cs;
  out[5] = sn;
}
