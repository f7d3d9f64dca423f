/**
 * Compiled C kernels write a large output (a task's outputs of TESSERA_STREAM_MIN = 4 MiB or
 * more) a block at a time through non-temporal stores, after a scalar head that reaches a
 * 64-byte boundary and before a scalar tail. These arrays are large enough for that on any
 * number of workers up to 2, with outputs that start off a boundary, rows with gaps between
 * them, two outputs in one kernel, index expressions and 1-byte elements; every value is
 * checked against the same arithmetic done here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

const rng = np.random.default_rng(11);

function firstMismatch(got: ArrayLike<number>, want: (i: number) => number): number {
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want(i))) return i;
  return -1;
}

test("c = a + b into a fresh array and into a view that starts off a 64-byte boundary", () => {
  const n = 3_000_003;
  const a = rng.random([n]) as np.ndarray,
    b = rng.random([n]) as np.ndarray;
  const A = a.toTypedArray() as Float64Array,
    Bv = b.toTypedArray() as Float64Array;
  const c = np.add(a, b);
  const bad = firstMismatch(c.toTypedArray() as Float64Array, (i) => A[i] + Bv[i]);
  assert.equal(bad, -1, `fresh output differs at ${bad}`);
  const out = np.zeros([n + 3]);
  np.multiply(a, b, { out: out.get("3:") });
  const got = out.toTypedArray() as Float64Array;
  const bad2 = firstMismatch(got, (i) => (i < 3 ? 0 : A[i - 3] * Bv[i - 3]));
  assert.equal(bad2, -1, `offset output differs at ${bad2}`);
});

test("a stencil into the interior of a float32 grid (rows with gaps, each row off a boundary)", () => {
  const n = 2051;
  const u0 = rng.random([n, n], { dtype: "float32" }) as np.ndarray;
  const U = u0.toTypedArray() as Float32Array;
  const u = u0.copy();
  u.set("1:-1, 1:-1", np.multiply(0.25, u.get(":-2, 1:-1").add(u.get("2:, 1:-1")).add(u.get("1:-1, :-2")).add(u.get("1:-1, 2:"))));
  const f = Math.fround;
  const bad = firstMismatch(u.toTypedArray() as Float32Array, (k) => {
    const i = Math.floor(k / n),
      j = k % n;
    if (i === 0 || j === 0 || i === n - 1 || j === n - 1) return U[k];
    return f(f(0.25) * f(f(f(U[k - n] + U[k + n]) + U[k - 1]) + U[k + 1]));
  });
  assert.equal(bad, -1, `grid differs at ${bad}`);
});

test("two outputs of one kernel, an index expression and 1-byte elements", () => {
  const n = 2_500_000;
  const x = rng.random([n]) as np.ndarray;
  const X = x.toTypedArray() as Float64Array;
  // Siblings: both results of the same input, computed by one two-output kernel.
  const s = np.add(x, 1.5),
    c = np.multiply(x, x);
  // A reduction of one materialises both (reading one alone would compute only that one).
  assert.ok(Number(s.sum()) > 0);
  const S = s.toTypedArray() as Float64Array,
    C = c.toTypedArray() as Float64Array;
  assert.equal(
    firstMismatch(S, (i) => X[i] + 1.5),
    -1,
  );
  assert.equal(
    firstMismatch(C, (i) => X[i] * X[i]),
    -1,
  );
  const r = np.arange(6_000_001, { dtype: "float64" });
  assert.equal(
    firstMismatch(r.toTypedArray() as Float64Array, (i) => i),
    -1,
  );
  const m = 20_000_001;
  const i8 = np.arange(m, { dtype: "int64" }).astype("int8");
  const sum8 = np.add(i8, i8);
  const got = sum8.toTypedArray() as Int8Array;
  const bad8 = firstMismatch(got, (i) => ((2 * i + 128) % 256) - 128);
  assert.equal(bad8, -1, `int8 differs at ${bad8}`);
});
