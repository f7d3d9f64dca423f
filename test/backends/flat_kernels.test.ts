/**
 * Maps over contiguous arrays run one loop from each accessor's offset with the body repeated
 * for eight consecutive elements, then a loop over the rest (codegen_js.ts, flatMap): small
 * launches run at once take it, and so do point tasks whose views are one unit-stride run.
 * Every length from 0 to 40 (whole blocks of eight, remainders, fewer than eight), views that
 * start part-way into their storage, complex and float16 elements and index expressions are
 * checked element by element against the same arithmetic done here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

const rng = np.random.default_rng(5);

const values = (a: np.ndarray): number[] => Array.from(a.toTypedArray() as Float64Array, Number);

test("float64 add and multiply-add at every length up to 40, fresh and offset views", () => {
  for (let n = 0; n <= 40; n++) {
    const a = rng.random([n + 5]) as np.ndarray,
      b = rng.random([n + 3]) as np.ndarray;
    const A = values(a),
      B = values(b);
    // Views that start 5 and 3 elements into their storages.
    const av = a.get("5:"),
      bv = b.get("3:");
    const c = np.add(av, bv);
    assert.deepEqual(
      values(c),
      A.slice(5).map((x, i) => x + B[3 + i]),
      `add, n=${n}`,
    );
    const d = np.add(np.multiply(0.5, av), bv);
    assert.deepEqual(
      values(d),
      A.slice(5).map((x, i) => 0.5 * x + B[3 + i]),
      `0.5*a+b, n=${n}`,
    );
    // The output a view into a larger array: the elements around it stay as they were.
    const out = np.full([n + 4], -1.5);
    np.subtract(av, bv, { out: out.get("2:-2") });
    const want = [-1.5, -1.5, ...A.slice(5).map((x, i) => x - B[3 + i]), -1.5, -1.5];
    assert.deepEqual(values(out), want, `subtract into a view, n=${n}`);
  }
});

test("2-D contiguous arrays run as one run of elements", () => {
  const a = rng.random([7, 9]) as np.ndarray,
    b = rng.random([7, 9]) as np.ndarray;
  const A = values(a),
    B = values(b);
  assert.deepEqual(
    values(np.multiply(a, b)),
    A.map((x, i) => x * B[i]),
  );
  // A row slice of a 2-D array is contiguous too.
  assert.deepEqual(
    values(np.add(a.get("2:5"), b.get("1:4"))),
    A.slice(18, 45).map((x, i) => x + B[9 + i]),
  );
});

test("complex128 elements (two lanes each) at lengths around a block", () => {
  for (const n of [1, 7, 8, 9, 17, 23]) {
    const re = rng.random([n]) as np.ndarray,
      im = rng.random([n]) as np.ndarray;
    const z = np.add(re, np.multiply(im, { re: 0, im: 1 } as never));
    const w = np.multiply(z, z);
    const R = values(re),
      I = values(im);
    const got = Array.from(w.toTypedArray() as Float64Array);
    const want: number[] = [];
    for (let i = 0; i < n; i++) want.push(R[i] * R[i] - I[i] * I[i], R[i] * I[i] + I[i] * R[i]);
    assert.equal(got.length, 2 * n);
    for (let i = 0; i < 2 * n; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-15 * Math.max(1, Math.abs(want[i])), `z*z lane ${i}, n=${n}`);
  }
});

test("float16 and int8 elements, and an index expression (arange) at odd lengths", () => {
  for (const n of [3, 8, 13, 35]) {
    const h = np.arange(n, { dtype: "float16" });
    const twice = np.multiply(h, 2);
    assert.equal(twice.dtype.name, "float16");
    assert.deepEqual(
      twice.tolist(),
      Array.from({ length: n }, (_, i) => 2 * i),
    );
    const k = np.arange(n, { dtype: "int8" });
    assert.deepEqual(
      np.add(k, k).tolist(),
      Array.from({ length: n }, (_, i) => ((2 * i) << 24) >> 24),
    );
    assert.deepEqual(
      np.arange(3, 3 + 2 * n, 2).tolist(),
      Array.from({ length: n }, (_, i) => 3 + 2 * i),
    );
  }
});
