import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Lanes, Prec } from "../../src/numpy/tasks/linalg/lapack_api.js";
import { portableLapack as lp } from "../../src/numpy/tasks/linalg/portable.js";
import { parseFloatText } from "./conformance_support.js";

/**
 * The portable LAPACK (src/numpy/tasks/linalg/portable.ts) against NumPy
 * (test/fixtures/generate_lapack.py), every routine in every precision: values within 1e-10
 * of the problem's scale for d and z (1e-4 for s and c), LAPACK's info, the same pivots and
 * Householder convention (getrf, geqrf, orgqr agree entry by entry), and for the vectors of
 * gesdd, syevd and geev, which are unique only up to sign or phase: orthonormality, the
 * defining equations, and alignment with NumPy's vector wherever the value is simple.
 */
const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/lapack.json", import.meta.url), "utf8"));

/** One fixture record; fields by routine (see the generator). */
type Case = Record<string, any>;
const cases: Case[] = fx.cases;

const cplx = (p: Prec): boolean => p === "c" || p === "z";
const tolOf = (p: Prec): number => (p === "s" || p === "c" ? 1e-4 : 1e-10);

function nums(v: string[]): Float64Array {
  return Float64Array.from(v, parseFloatText);
}

/** The caller's lanes of precision `p` holding the fixture values `v`. */
function lanesOf(p: Prec, v: string[]): Lanes {
  return p === "s" || p === "c" ? Float32Array.from(v, parseFloatText) : nums(v);
}

/** Interleaved complex float64 of `count` elements, from lanes of precision `p`. */
function cx(p: Prec, x: ArrayLike<number>, count: number): Float64Array {
  const out = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    if (cplx(p)) {
      out[2 * i] = x[2 * i];
      out[2 * i + 1] = x[2 * i + 1];
    } else out[2 * i] = x[i];
  }
  return out;
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, scale: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * Math.max(scale, 1e-300))) assert.fail(`${what}: lane ${i} is ${actual[i]}, expected ${expected[i]} (scale ${scale})`);
  }
}

/** C = op(A)·B for interleaved column-major A (ar×ac), B; op "N" or "H" (conjugate transpose). */
function mul(a: Float64Array, ar: number, ac: number, op: "N" | "H", b: Float64Array, bc: number): Float64Array {
  const rows = op === "N" ? ar : ac;
  const inner = op === "N" ? ac : ar;
  const c = new Float64Array(2 * rows * bc);
  for (let j = 0; j < bc; j++) {
    for (let i = 0; i < rows; i++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < inner; k++) {
        const p = op === "N" ? 2 * (i + k * ar) : 2 * (k + i * ar);
        const xr = a[p];
        const xi = op === "N" ? a[p + 1] : -a[p + 1];
        const yr = b[2 * (k + j * inner)];
        const yi = b[2 * (k + j * inner) + 1];
        sr += xr * yr - xi * yi;
        si += xr * yi + xi * yr;
      }
      c[2 * (i + j * rows)] = sr;
      c[2 * (i + j * rows) + 1] = si;
    }
  }
  return c;
}

function eye(n: number): Float64Array {
  const z = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) z[2 * (i + i * n)] = 1;
  return z;
}

/** |xᴴ·y| for columns i of x and j of y (rows each). */
function colDot(x: Float64Array, i: number, y: Float64Array, j: number, rows: number): number {
  let sr = 0;
  let si = 0;
  for (let r = 0; r < rows; r++) {
    const ar = x[2 * (r + i * rows)];
    const ai = -x[2 * (r + i * rows) + 1];
    const br = y[2 * (r + j * rows)];
    const bi = y[2 * (r + j * rows) + 1];
    sr += ar * br - ai * bi;
    si += ar * bi + ai * br;
  }
  return Math.hypot(sr, si);
}

/** The full Hermitian matrix whose `uplo` triangle `a` (interleaved) holds. */
function hermitian(a: Float64Array, n: number, uplo: "L" | "U"): Float64Array {
  const h = new Float64Array(a);
  for (let j = 0; j < n; j++) {
    h[2 * (j + j * n) + 1] = 0;
    for (let i = j + 1; i < n; i++) {
      const lo = 2 * (i + j * n);
      const up = 2 * (j + i * n);
      const [s, d] = uplo === "L" ? [lo, up] : [up, lo];
      h[d] = h[s];
      h[d + 1] = -h[s + 1];
    }
  }
  return h;
}

/** Whether value i of the sorted list `v` is apart from its neighbours (its vector is then unique up to phase). */
function simple(v: ArrayLike<number>, i: number, gap: number): boolean {
  for (let j = 0; j < v.length; j++) if (j !== i && Math.abs(v[j] - v[i]) <= gap) return false;
  return true;
}

function label(c: Case): string {
  return `${c.fn} ${c.prec} ${c.label}${c.uplo ? ` uplo=${c.uplo}` : ""}${c.jobz ? ` jobz=${c.jobz}` : ""}`;
}

const checks: Record<string, (c: Case) => void> = {
  getrf(c) {
    const p = c.prec as Prec;
    const a = lanesOf(p, c.a);
    const ipiv = new Int32Array(Math.min(c.m, c.n));
    const info = lp.getrf(p, c.m, c.n, a, ipiv);
    assert.equal(info, c.info, "info");
    assert.deepEqual(Array.from(ipiv), c.ipiv, "ipiv");
    assertClose(a, nums(c.lu), tolOf(p), maxAbs(nums(c.lu)) || 1, "LU");
    // P·L·U = A.
    const m: number = c.m;
    const n: number = c.n;
    const k = Math.min(m, n);
    const f = cx(p, a, m * n);
    const l = new Float64Array(2 * m * k);
    const u = new Float64Array(2 * k * n);
    for (let j = 0; j < k; j++) {
      l[2 * (j + j * m)] = 1;
      for (let i = j + 1; i < m; i++) for (let t = 0; t < 2; t++) l[2 * (i + j * m) + t] = f[2 * (i + j * m) + t];
    }
    for (let j = 0; j < n; j++)
      for (let i = 0; i <= Math.min(j, k - 1); i++) for (let t = 0; t < 2; t++) u[2 * (i + j * k) + t] = f[2 * (i + j * m) + t];
    const pa = mul(l, m, k, "N", u, n);
    for (let j = k - 1; j >= 0; j--) {
      const q = c.ipiv[j] - 1;
      for (let col = 0; col < n; col++) {
        for (let t = 0; t < 2; t++) {
          const x = pa[2 * (j + col * m) + t];
          pa[2 * (j + col * m) + t] = pa[2 * (q + col * m) + t];
          pa[2 * (q + col * m) + t] = x;
        }
      }
    }
    const orig = cx(p, lanesOf(p, c.a), m * n);
    assertClose(pa, orig, tolOf(p), maxAbs(orig) || 1, "P·L·U");
  },

  gesv(c) {
    const p = c.prec as Prec;
    const a = lanesOf(p, c.a);
    const b = lanesOf(p, c.b);
    const ipiv = new Int32Array(c.n);
    const info = lp.gesv(p, c.n, c.nrhs, a, ipiv, b);
    assert.equal(info, c.info, "info");
    assert.deepEqual(Array.from(ipiv), c.ipiv, "ipiv");
    assertClose(a, nums(c.lu), tolOf(p), Math.max(1, maxAbs(nums(c.lu))), "LU");
    // x (or b untouched when singular).
    assertClose(b, nums(c.x), info === 0 ? tolOf(p) : 0, Math.max(1, maxAbs(nums(c.x))), "x");
  },

  potrf(c) {
    const p = c.prec as Prec;
    const a = lanesOf(p, c.a);
    const before = lanesOf(p, c.a);
    const info = lp.potrf(p, c.uplo, c.n, a);
    assert.equal(info, c.info, "info");
    const n: number = c.n;
    const w = cplx(p) ? 2 : 1;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const inTri = c.uplo === "L" ? i >= j : i <= j;
        for (let t = 0; t < w; t++) {
          const q = w * (i + j * n) + t;
          if (!inTri) assert.equal(a[q], before[q], `other triangle (${i}, ${j}) changed`);
          else if (info === 0) {
            const e = parseFloatText(c.factor[q]);
            assert.ok(Math.abs(a[q] - e) <= tolOf(p) * Math.max(1, maxAbs(nums(c.factor))), `factor (${i}, ${j}): ${a[q]} vs ${e}`);
          }
        }
      }
    }
  },

  geqrf(c) {
    const p = c.prec as Prec;
    const a = lanesOf(p, c.a);
    const k = Math.min(c.m, c.n);
    const tau = lanesOf(p, new Array((cplx(p) ? 2 : 1) * k).fill("0x0p+0"));
    assert.equal(lp.geqrf(p, c.m, c.n, a, tau), 0, "info");
    // Reflector tails are O(1) whatever the scale of A; R scales with A.
    const ex = nums(c.qr);
    const w = cplx(p) ? 2 : 1;
    const rScale = maxAbs(ex.filter((_, q) => Math.floor(q / w) % c.m <= Math.floor(q / w / c.m))) || 1;
    for (let q = 0; q < ex.length; q++) {
      const e = Math.floor(q / w);
      const upper = e % c.m <= Math.floor(e / c.m);
      const scale = upper ? rScale : 1;
      assert.ok(Math.abs(a[q] - ex[q]) <= tolOf(p) * scale, `R and reflectors: lane ${q} is ${a[q]}, expected ${ex[q]}`);
    }
    assertClose(tau, nums(c.tau), tolOf(p), 1, "tau");
  },

  orgqr(c) {
    const p = c.prec as Prec;
    const a = lanesOf(p, c.a);
    assert.equal(lp.orgqr(p, c.m, c.n, c.k, a, lanesOf(p, c.tau)), 0, "info");
    assertClose(a, nums(c.q), tolOf(p), 1, "Q");
  },

  gesdd(c) {
    const p = c.prec as Prec;
    const m: number = c.m;
    const n: number = c.n;
    const k = Math.min(m, n);
    const w = cplx(p) ? 2 : 1;
    const a = lanesOf(p, c.a);
    const s = lanesOf(p, new Array(k).fill("0x0p+0"));
    const ucols = c.jobz === "A" ? m : k;
    const vrows = c.jobz === "A" ? n : k;
    const mk = (len: number): Lanes => (p === "s" || p === "c" ? new Float32Array(len) : new Float64Array(len));
    const u = c.jobz === "N" ? null : mk(w * m * ucols);
    const vt = c.jobz === "N" ? null : mk(w * vrows * n);
    assert.equal(lp.gesdd(p, c.jobz, m, n, a, s, u, vt), 0, "info");
    const es = nums(c.s);
    const scale = Math.max(1e-300, maxAbs(es));
    const tol = tolOf(p);
    assertClose(s, es, tol, scale, "s");
    if (!u || !vt || k === 0) return;
    const U = cx(p, u, m * ucols);
    const V = cx(p, vt, vrows * n);
    // Unitary columns of U, orthonormal rows of vt.
    assertClose(mul(U, m, ucols, "H", U, ucols), eye(ucols), tol, 1, "UᴴU");
    const vh = new Float64Array(2 * n * vrows); // vtᴴ
    for (let i = 0; i < vrows; i++)
      for (let j = 0; j < n; j++) {
        vh[2 * (j + i * n)] = V[2 * (i + j * vrows)];
        vh[2 * (j + i * n) + 1] = -V[2 * (i + j * vrows) + 1];
      }
    assertClose(mul(vh, n, vrows, "H", vh, vrows), eye(vrows), tol, 1, "vt·vtᴴ");
    // U[:, :k]·diag(s)·vt[:k, :] = A.
    const us = new Float64Array(2 * m * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < 2 * m; i++) us[2 * j * m + i] = U[2 * j * m + i] * s[j];
    const vk = new Float64Array(2 * k * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < k; i++) for (let t = 0; t < 2; t++) vk[2 * (i + j * k) + t] = V[2 * (i + j * vrows) + t];
    const orig = cx(p, lanesOf(p, c.a), m * n);
    assertClose(mul(us, m, k, "N", vk, n), orig, tol, scale, "U·S·vt");
    // Columns of simple nonzero singular values match NumPy's up to phase.
    const eu = cx(p, nums(c.u), m * ucols);
    const ev = cx(p, nums(c.vt), vrows * n);
    const evh = new Float64Array(2 * n * vrows);
    for (let i = 0; i < vrows; i++)
      for (let j = 0; j < n; j++) {
        evh[2 * (j + i * n)] = ev[2 * (i + j * vrows)];
        evh[2 * (j + i * n) + 1] = -ev[2 * (i + j * vrows) + 1];
      }
    const gap = 1e3 * tol * scale;
    for (let i = 0; i < k; i++) {
      if (es[i] <= gap || !simple(es, i, gap)) continue;
      assert.ok(Math.abs(colDot(U, i, eu, i, m) - 1) <= 1e2 * tol, `u column ${i} differs from NumPy's beyond a phase`);
      assert.ok(Math.abs(colDot(vh, i, evh, i, n) - 1) <= 1e2 * tol, `vt row ${i} differs from NumPy's beyond a phase`);
    }
  },

  syevd(c) {
    const p = c.prec as Prec;
    const n: number = c.n;
    const a = lanesOf(p, c.a);
    const w = lanesOf(p, new Array(n).fill("0x0p+0"));
    assert.equal(lp.syevd(p, "V", c.uplo, n, a, w), 0, "info");
    const ew = nums(c.w);
    const tol = tolOf(p);
    const h = hermitian(cx(p, lanesOf(p, c.a), n * n), n, c.uplo);
    const scale = Math.max(1, maxAbs(h));
    assertClose(w, ew, tol, scale, "w");
    for (let i = 1; i < n; i++) assert.ok(w[i - 1] <= w[i], "w ascending");
    const z = cx(p, a, n * n);
    assertClose(mul(z, n, n, "H", z, n), eye(n), tol, 1, "ZᴴZ");
    const az = mul(h, n, n, "N", z, n);
    const zw = new Float64Array(z.length);
    for (let j = 0; j < n; j++) for (let i = 0; i < 2 * n; i++) zw[2 * j * n + i] = z[2 * j * n + i] * w[j];
    assertClose(az, zw, tol, scale, "A·Z = Z·diag(w)");
    const ev = cx(p, nums(c.v), n * n);
    for (let i = 0; i < n; i++) {
      if (!simple(ew, i, 1e3 * tol * scale)) continue;
      assert.ok(Math.abs(colDot(z, i, ev, i, n) - 1) <= 1e2 * tol, `vector ${i} differs from NumPy's beyond a phase`);
    }
    // Values only: the same eigenvalues.
    const a2 = lanesOf(p, c.a);
    const w2 = lanesOf(p, new Array(n).fill("0x0p+0"));
    assert.equal(lp.syevd(p, "N", c.uplo, n, a2, w2), 0, "info (N)");
    assertClose(w2, ew, tol, scale, "w (N)");
  },

  geev(c) {
    const p = c.prec as Prec;
    const n: number = c.n;
    const a = lanesOf(p, c.a);
    const mk = (len: number): Lanes => (p === "s" || p === "c" ? new Float32Array(len) : new Float64Array(len));
    const w = mk(2 * n);
    const vr = mk(2 * n * n);
    assert.equal(lp.geev(p, n, a, w, vr), 0, "info");
    const tol = tolOf(p);
    const A = cx(p, lanesOf(p, c.a), n * n);
    const ew = nums(c.w);
    const scale = Math.max(1, maxAbs(A) * n);
    // Eigenvalues: in NumPy's order (the Schur form's diagonal as LAPACK's dlahqr / zlahqr
    // leave it) when they are distinct, else matched as a multiset; repeated ones are only
    // determined to about sqrt(eps).
    const used = new Array(n).fill(false);
    const match = new Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      let best = i;
      if (!c.ordered) {
        let bd = Infinity;
        for (let j = 0; j < n; j++) {
          const d = Math.hypot(w[2 * i] - ew[2 * j], w[2 * i + 1] - ew[2 * j + 1]);
          if (!used[j] && d < bd) {
            bd = d;
            best = j;
          }
        }
      }
      const d = Math.hypot(w[2 * i] - ew[2 * best], w[2 * i + 1] - ew[2 * best + 1]);
      assert.ok(
        d <= tol * scale || d <= Math.sqrt(tol) * 1e-3 * scale,
        `eigenvalue ${i}: ${w[2 * i]}+${w[2 * i + 1]}i, NumPy's ${ew[2 * best]}+${ew[2 * best + 1]}i`,
      );
      used[best] = true;
      match[i] = best;
    }
    if (!cplx(p)) {
      // Real input: conjugate pairs, adjacent, positive imaginary part first.
      for (let i = 0; i < n; i++) {
        if (w[2 * i + 1] > 0) {
          assert.ok(i + 1 < n && w[2 * i + 2] === w[2 * i] && w[2 * i + 3] === -w[2 * i + 1], `pair at ${i}`);
          i++;
        } else assert.equal(w[2 * i + 1], 0, `lone complex value at ${i}`);
      }
    }
    const v = cx("z", vr, n * n);
    const av = mul(A, n, n, "N", v, n);
    const ev = cx("z", nums(c.v), n * n);
    const ewRe = Array.from({ length: n }, (_, j) => ew[2 * j]);
    for (let j = 0; j < n; j++) {
      let nrm = 0;
      let big = -1;
      for (let i = 0; i < n; i++) {
        const m2 = v[2 * (i + j * n)] ** 2 + v[2 * (i + j * n) + 1] ** 2;
        nrm += m2;
        if (m2 > big) big = m2;
      }
      assert.ok(Math.abs(Math.sqrt(nrm) - 1) <= tol, `vector ${j} norm`);
      // The largest component is real (positive for complex input); rounding decides between near ties.
      let realMax = false;
      for (let i = 0; i < n; i++) {
        const q = 2 * (i + j * n);
        if (v[q] ** 2 + v[q + 1] ** 2 >= big * (1 - 10 * tol) && v[q + 1] === 0 && (!cplx(p) || v[q] > 0)) realMax = true;
      }
      assert.ok(realMax, `vector ${j}: largest component real`);
      for (let i = 0; i < n; i++) {
        const lr = w[2 * j];
        const li = w[2 * j + 1];
        const xr = v[2 * (i + j * n)];
        const xi = v[2 * (i + j * n) + 1];
        const rr = av[2 * (i + j * n)] - (lr * xr - li * xi);
        const ri = av[2 * (i + j * n) + 1] - (lr * xi + li * xr);
        assert.ok(Math.hypot(rr, ri) <= 10 * tol * scale, `A·v = λ·v for vector ${j}`);
      }
      const e = match[j];
      const isolated = ew.length > 0 && ewRe.every((_, q) => q === e || Math.hypot(ew[2 * q] - ew[2 * e], ew[2 * q + 1] - ew[2 * e + 1]) > 1e-2);
      if (isolated) assert.ok(Math.abs(colDot(v, j, ev, e, n) - 1) <= 1e2 * tol, `vector ${j} differs from NumPy's beyond a phase`);
    }
    // Values only: the same eigenvalues in the same order.
    const w2 = mk(2 * n);
    assert.equal(lp.geev(p, n, lanesOf(p, c.a), w2, null), 0, "info (values only)");
    assertClose(w2, w, tol, scale, "w without vectors");
  },

  gelsd(c) {
    const p = c.prec as Prec;
    const a = lanesOf(p, c.a);
    const b = lanesOf(p, c.b);
    const k = Math.min(c.m, c.n);
    const s = lanesOf(p, new Array(k).fill("0x0p+0"));
    const r = lp.gelsd(p, c.m, c.n, c.nrhs, a, b, s, c.rcond);
    assert.equal(r.info, 0, "info");
    assert.equal(r.rank, c.rank, "rank");
    const tol = tolOf(p);
    const es = nums(c.s);
    assertClose(s, es, tol, Math.max(1, maxAbs(es)), "s");
    const ldb = Math.max(c.m, c.n);
    const ex = nums(c.x);
    const w = cplx(p) ? 2 : 1;
    const x: number[] = [];
    for (let j = 0; j < c.nrhs; j++) for (let i = 0; i < w * c.n; i++) x.push(b[w * j * ldb + i]);
    assertClose(x, ex, tol, Math.max(1, maxAbs(ex)), "x");
  },
};

for (const fn of Object.keys(checks)) {
  test(`portable ${fn} matches NumPy`, async (t) => {
    const mine = cases.filter((c) => c.fn === fn);
    assert.ok(mine.length > 0);
    for (const c of mine) await t.test(label(c), () => checks[fn](c));
  });
}
