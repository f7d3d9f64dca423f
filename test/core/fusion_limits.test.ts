/**
 * Fusion keeps every kernel within what each backend can run: at most MAX_NATIVE_ARGS arrays
 * for a compiled C kernel (koffi calls functions of at most 64 parameters), and on WebGPU
 * the adapter's storage buffer bindings. A program combining hundreds of arrays is cut into
 * several kernels (a lazy input reading many arrays is computed first) and gives the same
 * result, bit for bit, as the same arithmetic done one operation at a time. Under
 * TESSERA_KERNELS=c every one of these kernels is compiled C; arrays here are large enough
 * that the default mapper sends them to the workers, which use C kernels too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { runtime } from "tessera/core";

// Launches here are small: deferred all the same (TESSERA_EAGER=0), as fusion is what is tested.
runtime().eager.maxSize = 0;
const rng = np.random.default_rng(3);
const values = (a: np.ndarray) => a.toTypedArray() as Float64Array | Float32Array;

test("300 distinct arrays summed in a chain (float64 and float32)", () => {
  const n = 2000,
    k = 300;
  for (const dtype of ["float64", "float32"] as const) {
    const arrays = Array.from({ length: k }, () => rng.random([n], { dtype }) as np.ndarray);
    const data = arrays.map(values);
    const before = runtime().stats.launches;
    let s = arrays[0];
    for (let i = 1; i < k; i++) s = s.add(arrays[i]);
    const got = values(s);
    const launches = runtime().stats.launches - before;
    // Fused, but cut: at most 61 arrays per kernel (fewer on a GPU with few bindings).
    assert.ok(launches >= Math.ceil(k / 61) && launches <= k / 4, `${launches} kernels for ${k} inputs`);
    const r = dtype === "float32" ? Math.fround : (x: number) => x;
    for (let j = 0; j < n; j++) {
      let e = data[0][j];
      for (let i = 1; i < k; i++) e = r(e + data[i][j]);
      if (!Object.is(got[j], e)) assert.fail(`${dtype} [${j}]: ${got[j]} vs ${e}`);
    }
  }
});

test("a value updated 100 times from new 0-d arrays (100+ inputs, one per update)", () => {
  const n = 3000;
  let x = np.zeros([n]);
  const p = np.arange(n).div(n);
  for (let i = 0; i < 100; i++) x = x.add(np.sum(p).div(n).mul(p));
  const got = values(x);
  const S = Number(np.sum(p)),
    P = values(p);
  for (let j = 0; j < n; j++) {
    let e = 0;
    for (let i = 0; i < 100; i++) e = e + (S / n) * P[j];
    if (!Object.is(got[j], e)) assert.fail(`[${j}]: ${got[j]} vs ${e}`);
  }
});

test("a reduction over a chain of 200 arrays", () => {
  const n = 500,
    k = 200;
  const arrays = Array.from({ length: k }, () => rng.random([n]) as np.ndarray);
  const data = arrays.map(values);
  let s = arrays[0];
  for (let i = 1; i < k; i++) s = s.mul(0.5).add(arrays[i]);
  const total = Number(np.max(s));
  let e = -Infinity;
  for (let j = 0; j < n; j++) {
    let v = data[0][j];
    for (let i = 1; i < k; i++) v = v * 0.5 + data[i][j];
    e = Math.max(e, v);
  }
  assert.equal(total, e);
});

test("sibling fusion stays within the kernel argument limit", () => {
  const N = 1 << 17; // above the size where sibling fusion applies
  const a = rng.random([N]) as np.ndarray;
  const bs = Array.from({ length: 8 }, () => Array.from({ length: 15 }, () => rng.random([N]) as np.ndarray));
  const ys = bs.map((row) => row.reduce((acc, b) => acc.add(b), a));
  const sums = ys.map((y) => Number(np.sum(y)));
  const A = values(a),
    B = bs.map((row) => row.map(values));
  ys.forEach((y, k) => {
    const got = values(y);
    for (let j = 0; j < N; j += 997) {
      let e = A[j];
      for (const b of B[k]) e += b[j];
      assert.equal(got[j], e);
    }
    let total = 0;
    for (const v of got) total += v;
    assert.ok(Math.abs(sums[k] - total) <= 1e-9 * sums[k]);
  });
});
