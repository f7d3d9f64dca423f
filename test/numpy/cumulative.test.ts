import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

/**
 * np.cumsum / np.cumprod beyond the conformance fixtures: arrays large enough that rows are
 * cut across workers (or one long row runs as one point), integer sums past 2^53, `out`,
 * and the method forms. Expected values are NumPy's semantics computed in JS: sequential
 * float sums (rounded to float32 at every step for float32, as NumPy's accumulate), and
 * integers modulo 2^64. On the GPU (TESSERA_GPUS=1) long float32 rows go through a blocked
 * parallel scan, whose sums are grouped differently: there float32 results are compared within
 * 1e-5 of the running sum of magnitudes instead of bit for bit.
 */
const ON_GPU = process.env.TESSERA_GPUS === "1";

test("rows scanned in parallel along each axis equal sequential sums (float64, float32, int32)", () => {
  const R = 300,
    C = 500;
  const v = (i: number, j: number) => ((i * 131 + j * 7919) % 1013) / 8 - 60.3;
  const a = np.array(Array.from({ length: R }, (_, i) => Array.from({ length: C }, (_, j) => v(i, j))));
  for (const dtype of ["float64", "float32"] as const) {
    const x = a.astype(dtype);
    const r = dtype === "float32" ? Math.fround : (t: number) => t;
    const along1 = np.cumsum(x, { axis: 1 }).toTypedArray() as Float64Array;
    const along0 = np.cumsum(x, { axis: 0 }).toTypedArray() as Float64Array;
    const loose = ON_GPU && dtype === "float32";
    const check = (got: number, s: number, mag: number) =>
      loose ? assert.ok(Math.abs(got - s) <= 1e-5 * mag, `${got} vs ${s}`) : assert.equal(got, s);
    for (let i = 0; i < R; i++) {
      let s = 0,
        mag = 0;
      for (let j = 0; j < C; j++) {
        s = r(s + r(v(i, j)));
        mag += Math.abs(v(i, j));
        check(along1[i * C + j], s, mag);
      }
    }
    for (let j = 0; j < C; j++) {
      let s = 0,
        mag = 0;
      for (let i = 0; i < R; i++) {
        s = r(s + r(v(i, j)));
        mag += Math.abs(v(i, j));
        check(along0[i * C + j], s, mag);
      }
    }
  }
  const ints = np.arange(R * C, { dtype: "int32" }).reshape(R, C);
  const p = np.cumprod(ints.mod(5).add(1), { axis: 0, dtype: "int32" }).toTypedArray() as Int32Array;
  for (let j = 0; j < C; j += 37) {
    let s = 1;
    for (let i = 0; i < R; i++) {
      s = Math.imul(s, ((i * C + j) % 5) + 1);
      assert.equal(p[i * C + j], s);
    }
  }
});

test("one long row: a sequential scan (NumPy's float32 rounding, bit for bit)", {
  skip: ON_GPU && "on the GPU a long float32 row is a blocked scan",
}, () => {
  const n = 1 << 20;
  const c = np.cumsum(np.full([n], 0.1, { dtype: "float32" })).toTypedArray() as Float32Array;
  let s = 0;
  const f = Math.fround(0.1);
  for (let i = 0; i < n; i++) s = Math.fround(s + f);
  // NumPy: np.cumsum(np.full(2**20, 0.1, np.float32))[-1] == np.float32(105891.84) (np.sum's pairwise sum gives 104857.62)
  assert.equal(c[n - 1], s);
  assert.equal(c[n - 1], Math.fround(105891.84));
});

test("uint32 sums past 2^53 stay exact in uint64, and int64 products wrap", () => {
  const n = (1 << 21) + 5;
  const c = np.cumsum(np.full([n], 4294967295, { dtype: "uint32" }));
  assert.equal(c.dtype.name, "uint64");
  const got = c.toTypedArray() as BigUint64Array;
  for (const i of [0, 1 << 20, (1 << 21) - 1, 1 << 21, n - 1]) assert.equal(got[i], BigInt(i + 1) * 4294967295n);
  const p = np.cumprod(np.array([2n ** 40n, 2n ** 30n, 3n, -7n]));
  assert.deepEqual(p.tolist({ bigint: true }), [
    2n ** 40n,
    BigInt.asIntN(64, 2n ** 70n),
    BigInt.asIntN(64, 3n * 2n ** 70n),
    BigInt.asIntN(64, -21n * 2n ** 70n),
  ]);
});

test("methods, axis=None, dtype and out", () => {
  const a = np.arange(6).reshape(2, 3);
  assert.deepEqual(a.cumsum().tolist(), [0, 1, 3, 6, 10, 15]);
  assert.deepEqual(a.cumprod({ axis: 1 }).tolist(), [
    [0, 0, 0],
    [3, 12, 60],
  ]);
  assert.equal(a.cumsum({ dtype: "float32" }).dtype.name, "float32");
  const out = np.zeros([2, 3]);
  const r = np.cumsum(a, { axis: 0, out });
  assert.equal(r, out);
  assert.deepEqual(out.tolist(), [
    [0, 1, 2],
    [3, 5, 7],
  ]);
  assert.throws(
    () => np.cumsum(a, { out: np.zeros(5) }),
    (e: Error) => e instanceof np.ValueError && e.message === "provided out is the wrong size for the accumulation.",
  );
  assert.throws(() => np.cumsum(a, { axis: 2 }), np.AxisError);
  assert.deepEqual(np.cumsum(np.array(5)).tolist(), [5]);
});
