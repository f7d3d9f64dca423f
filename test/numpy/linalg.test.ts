import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { parseFloatText } from "./conformance_support.js";
import { lapack, setLapackBackend } from "../../src/numpy/tasks/linalg/lapack.js";
import { tiledCholesky } from "../../src/numpy/linalg/tiled_cholesky.js";
import { tiledSolve } from "../../src/numpy/linalg/tiled_lu.js";
import { tsqr } from "../../src/numpy/linalg/tsqr.js";
import { qrReduced } from "../../src/numpy/linalg/decompositions.js";

/**
 * numpy.linalg against NumPy (test/fixtures/generate_linalg.py): dtypes, shapes, values within
 * 1e-9 of the largest magnitude for 64-bit results (2e-5 for 32-bit), singular and eigen vectors
 * by what defines them (their sign or phase is LAPACK's choice), and NumPy's errors. Run on the
 * system LAPACK and, where it works, on the portable one.
 */
const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/linalg.json", import.meta.url), "utf8"));

type Val = string | number | boolean | [string, string];
type Enc = { dtype: string; shape: number[]; data: Val[] };
type Arg = { arr: Enc } | { float: string } | Arg[] | number | string | boolean | null;
type Case = {
  name: string;
  fn: string;
  args: Arg[];
  kwargs: Record<string, Arg>;
  check: "values" | "svd" | "eig" | "eigvals" | "eigh";
  tuple?: boolean;
  expect?: Enc[];
  error?: { type: string; message: string };
};
type C = { re: number; im: number };

function scalar(dtype: string, v: Val): number | bigint | boolean | C {
  if (Array.isArray(v)) return { re: parseFloatText(v[0]), im: parseFloatText(v[1]) };
  if (dtype === "int64" || dtype === "uint64") return BigInt(v as number);
  if (typeof v === "string") return parseFloatText(v);
  return v;
}
const build = (a: Enc): np.ndarray => np.array(a.data.map((v) => scalar(a.dtype, v)) as never, { dtype: a.dtype }).reshape(a.shape);

function decode(v: Arg): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") return "arr" in v ? build(v.arr) : parseFloatText(v.float);
  return v;
}

/** Flat complex values of an array (real arrays have im 0). */
function values(a: np.ndarray): C[] {
  return a.flatValues().map((v) => (typeof v === "object" && v !== null && "re" in v ? (v as C) : { re: Number(v), im: 0 }));
}
const tol = (dtype: string) => (dtype === "float32" || dtype === "complex64" ? 2e-5 : 1e-9);
const mag = (xs: C[]) => xs.reduce((m, v) => Math.max(m, Math.hypot(v.re, v.im)), 0);

function assertValues(got: np.ndarray, want: Enc, label: string, scale?: number): void {
  assert.equal(got.dtype.name, want.dtype, `${label}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${label}: shape`);
  const g = values(got),
    w = values(build(want));
  const bound = tol(want.dtype) * Math.max(1, scale ?? mag(w));
  g.forEach((x, i) => {
    const y = w[i];
    if (Number.isNaN(y.re) || Number.isNaN(x.re)) {
      assert.equal(Number.isNaN(x.re), Number.isNaN(y.re), `${label}[${i}]: NaN`);
      return;
    }
    if (!Number.isFinite(y.re)) {
      assert.equal(x.re, y.re, `${label}[${i}]`);
      return;
    }
    assert.ok(Math.hypot(x.re - y.re, x.im - y.im) <= bound, `${label}[${i}]: ${x.re}+${x.im}j vs ${y.re}+${y.im}j (bound ${bound})`);
  });
}

/** ‖got − want‖∞ within the dtype's bound of the larger scale. */
function assertClose(got: np.ndarray, want: np.ndarray, dtype: string, label: string): void {
  const g = values(got),
    w = values(want);
  const bound = tol(dtype) * 10 * Math.max(1, mag(w), mag(g));
  g.forEach((x, i) => assert.ok(Math.hypot(x.re - w[i].re, x.im - w[i].im) <= bound, `${label}[${i}]: ${x.re} vs ${w[i].re}`));
}
const H = (x: np.ndarray) => np.conjugate(np.swapaxes(x, -1, -2));
const eyeLike = (n: number, batch: number[]) => np.broadcast_to(np.eye(n), [...batch, n, n]);

/** Eigenvalues equal as multisets (LAPACK's order may differ): each expected one matched to the nearest unused. */
function assertSameSet(got: np.ndarray, want: Enc, label: string): void {
  assert.equal(got.dtype.name, want.dtype, `${label}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${label}: shape`);
  const n = want.shape.at(-1) ?? 1;
  const g = values(got),
    w = values(build(want));
  const bound = tol(want.dtype) * 10 * Math.max(1, mag(w));
  for (let b = 0; b < g.length; b += n) {
    const left = g.slice(b, b + n);
    for (const y of w.slice(b, b + n)) {
      let best = -1,
        dist = Infinity;
      left.forEach((x, i) => {
        const d = Math.hypot(x.re - y.re, x.im - y.im);
        if (d < dist) [best, dist] = [i, d];
      });
      assert.ok(dist <= bound, `${label}: eigenvalue ${y.re}+${y.im}j not found (nearest ${dist})`);
      left.splice(best, 1);
    }
  }
}

function check(c: Case, got: np.ndarray[], a: np.ndarray): void {
  const want = c.expect!;
  assert.equal(got.length, want.length, "number of results");
  if (c.check === "values") {
    got.forEach((g, i) => assertValues(g, want[i], `result ${i}`));
    return;
  }
  if (c.check === "eigvals") return assertSameSet(got[0], want[0], "eigenvalues");
  const batch = a.shape.slice(0, -2);
  if (c.check === "svd") {
    const [u, s, vh] = got;
    assertValues(s, want[1], "S");
    for (const [x, e, l] of [
      [u, want[0], "U"],
      [vh, want[2], "Vh"],
    ] as const) {
      assert.equal(x.dtype.name, e.dtype, `${l}: dtype`);
      assert.deepEqual(x.shape, e.shape, `${l}: shape`);
    }
    const k = s.shape.at(-1)!;
    const us = np.multiply(u.get("...", `:${k}`), s.get("...", null, ":"));
    assertClose(np.matmul(us, vh.get("...", `:${k}`, ":")), a, want[1].dtype, "U S Vh = a");
    assertClose(np.matmul(H(u), u), eyeLike(u.shape.at(-1)!, batch), want[1].dtype, "U orthonormal");
    assertClose(np.matmul(vh, H(vh)), eyeLike(vh.shape.at(-2)!, batch), want[1].dtype, "Vh orthonormal");
    return;
  }
  const [w, v] = got;
  assert.equal(v.dtype.name, want[1].dtype, "eigenvectors: dtype");
  assert.deepEqual(v.shape, want[1].shape, "eigenvectors: shape");
  if (c.check === "eigh") {
    assertValues(w, want[0], "eigenvalues");
    assertClose(np.matmul(H(v), v), eyeLike(v.shape.at(-1)!, batch), want[0].dtype, "V orthonormal");
  } else assertSameSet(w, want[0], "eigenvalues");
  // a @ v = v * w, column by column
  assertClose(np.matmul(a, v), np.multiply(v, w.get("...", null, ":")), want[1].dtype, "a v = v w");
  const norms = np.linalg.norm(v, null, -2);
  if (v.size > 0) assertClose(norms, np.ones(norms.shape), want[0].dtype, "unit vectors");
}

function run(c: Case): void {
  const args = c.args.map(decode);
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
  const fn = (np.linalg as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
  assert.ok(fn, `np.linalg.${c.fn} exists`);
  const call = () => (Object.keys(kwargs).length ? fn(...args, kwargs) : fn(...args));
  if (c.error) {
    assert.throws(call, (e: Error) => {
      assert.equal(e.name, c.error!.type);
      assert.equal(e.message, c.error!.message);
      return true;
    });
    return;
  }
  const r = call();
  const got = (c.tuple ? (r as unknown[]) : [r]).map((x) => (x instanceof np.ndarray ? x : np.asarray(x as never)));
  check(c, got, args[0] as np.ndarray);
}

for (const c of fx.cases as Case[]) {
  test(`np.linalg.${c.fn}: ${c.name}`, () => run(c));
}

test("results are named tuples", () => {
  const a = np.array([
    [4, 2],
    [2, 3],
  ]);
  const q = np.linalg.qr(a) as np.NamedTuple<"Q" | "R">;
  assert.equal(q.Q, q[0]);
  assert.equal(q.R, q[1]);
  const s = np.linalg.svd(a) as np.NamedTuple<"U" | "S" | "Vh">;
  assert.equal(s.S, s[1]);
  const e = np.linalg.eigh(a);
  assert.equal(e.eigenvalues, e[0]);
  assert.equal(e.eigenvectors, e[1]);
  const d = np.linalg.slogdet(a);
  assert.equal(d.logabsdet, d[1]);
});

test("a LinAlgError is a ValueError, as NumPy's", () => {
  assert.throws(
    () => np.linalg.inv(np.zeros([2, 2])),
    (e: Error) => e instanceof np.LinAlgError && e instanceof np.ValueError,
  );
});

test("the system LAPACK is in use where the machine has one", () => {
  assert.match(lapack().name, /^native: /);
});

test("a batch of many small matrices and one large matrix agree with the unbatched results", () => {
  const a = np.add(np.random.default_rng(1).standard_normal([64, 6, 6]), np.multiply(6, np.eye(6)));
  const inv = np.linalg.inv(a);
  for (const i of [0, 17, 63]) assertClose(inv.get(i), np.linalg.inv(a.get(i)), "float64", `matrix ${i}`);
  const big = np.add(np.random.default_rng(2).standard_normal([300, 300]), np.multiply(30, np.eye(300)));
  assertClose(np.matmul(big, np.linalg.inv(big)), np.eye(300), "float64", "a inv(a) = I");
});

test("the portable LAPACK (the browser's) gives NumPy's results through np.linalg too", () => {
  setLapackBackend("portable");
  try {
    for (const c of (fx.cases as Case[]).filter((x) => !x.error)) {
      try {
        run(c);
      } catch (e) {
        throw new Error(`${c.fn}: ${c.name}: ${(e as Error).message}`);
      }
    }
  } finally {
    setLapackBackend("auto");
  }
});

test("the tiled Cholesky (tile tasks over every worker and rank) equals LAPACK's to 1e-10", () => {
  const n = 300;
  const x = np.random.default_rng(7).standard_normal([n, n]) as np.ndarray;
  const a = np.add(np.matmul(x, x.T), np.multiply(n, np.eye(n)));
  for (const upper of [false, true]) {
    const want = np.linalg.cholesky(a, { upper });
    for (const tile of [64, 100, 300]) {
      const got = tiledCholesky(a, upper, tile);
      const err = Number(np.abs(np.subtract(got, want)).max()) / Number(np.abs(want).max());
      assert.ok(err < 1e-10, `upper=${upper} tile=${tile}: relative error ${err}`);
    }
  }
  const f32 = tiledCholesky(a.astype("float32"), false, 64);
  assert.equal(f32.dtype.name, "float32");
  assert.throws(() => tiledCholesky(np.subtract(a, np.multiply(2 * n, np.eye(n))), false, 64), {
    name: "LinAlgError",
    message: "Matrix is not positive definite",
  });
});

test("the blocked LU solve (tile tasks over every worker and rank) equals LAPACK's gesv to 1e-10", () => {
  const n = 300;
  const rng = np.random.default_rng(9);
  const a = rng.standard_normal([n, n]) as np.ndarray;
  const b = rng.standard_normal([n]) as np.ndarray;
  const bm = rng.standard_normal([n, 3]) as np.ndarray;
  for (const tile of [64, 100, 300]) {
    for (const rhs of [b, bm]) {
      const want = np.linalg.solve(a, rhs);
      const got = tiledSolve(a, rhs, tile);
      assert.deepEqual(got.shape, want.shape);
      const err = Number(np.abs(np.subtract(got, want)).max()) / Number(np.abs(want).max());
      assert.ok(err < 1e-10, `tile=${tile} rhs ${rhs.shape}: relative error ${err}`);
    }
  }
  // Pivoting is needed: zeros on the diagonal, the largest entries below it.
  const p = np.add(np.roll(np.eye(n), 1, 0), np.multiply(1e-3, a));
  const want = np.linalg.solve(p, b);
  const err = Number(np.abs(np.subtract(tiledSolve(p, b, 64), want)).max()) / Number(np.abs(want).max());
  assert.ok(err < 1e-10, `permutation-like matrix: relative error ${err}`);
  const f32 = tiledSolve(a.astype("float32"), b.astype("float32"), 64, np.dtype("float32"));
  assert.equal(f32.dtype.name, "float32");
  const singular = a.copy();
  singular.set(":, 5", 0);
  assert.throws(() => np.linalg.solve(singular, b), { name: "LinAlgError", message: "Singular matrix" });
  assert.throws(() => tiledSolve(singular, b, 64), { name: "LinAlgError", message: "Singular matrix" });
});

test("TSQR (blocks factored where they lie, their R factors once more) equals LAPACK's QR up to row signs", () => {
  const rng = np.random.default_rng(11);
  for (const [m, n] of [
    [403, 7],
    [96, 12],
  ]) {
    const a = rng.standard_normal([m, n]) as np.ndarray;
    const [q0, r0] = qrReduced(a);
    for (const count of [1, 2, 3, 8]) {
      const [q, r] = tsqr(a, count, qrReduced);
      assert.deepEqual(q.shape, [m, n]);
      assert.deepEqual(r.shape, [n, n]);
      // R is unique up to the sign of each row (and Q of each column): compare with signs fixed.
      const d = np.sign(np.diagonal(r)),
        d0 = np.sign(np.diagonal(r0));
      assertClose(np.multiply(r, d.reshape([-1, 1])), np.multiply(r0, d0.reshape([-1, 1])), "float64", `R, ${count} blocks`);
      assertClose(np.multiply(q, d), np.multiply(q0, d0), "float64", `Q, ${count} blocks`);
      assertClose(np.matmul(q, r), a, "float64", `QR = a, ${count} blocks`);
    }
  }
});
