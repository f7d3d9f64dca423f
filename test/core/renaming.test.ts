/**
 * Renaming: writes into a box of a large array whose old contents are still read (by the
 * same statement or by lazy values) give the storage a new instance instead of copying.
 * Checked against plain loops, with arrays large enough (>= 65536 elements) to rename.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { boxOf, complement } from "../../src/core/renaming.js";
import { Store, Storage } from "../../src/core/store.js";
import { DTYPES } from "../../src/core/dtype.js";

const N = 300; // 90,000 elements

function plate(): { u: np.ndarray; ref: Float64Array } {
  const ref = new Float64Array(N * N);
  for (let i = 0; i < N * N; i++) ref[i] = ((i * 7919) % 1000) / 10;
  return { u: np.array(Array.from(ref)).reshape(N, N), ref };
}

function sweepRef(ref: Float64Array): Float64Array {
  const next = ref.slice();
  for (let i = 1; i < N - 1; i++)
    for (let j = 1; j < N - 1; j++) {
      next[i * N + j] = 0.25 * (ref[(i - 1) * N + j] + ref[(i + 1) * N + j] + ref[i * N + j - 1] + ref[i * N + j + 1]);
    }
  return next;
}

test("stencil sweeps that read what they overwrite", () => {
  let { u, ref } = plate();
  for (let k = 0; k < 3; k++) {
    u.set("1:-1, 1:-1", np.multiply(0.25, u.get(":-2, 1:-1").add(u.get("2:, 1:-1")).add(u.get("1:-1, :-2")).add(u.get("1:-1, 2:"))));
    ref = sweepRef(ref);
  }
  assert.deepEqual(Array.from(u.toTypedArray() as Float64Array), Array.from(ref));
});

test("lazy values read the old contents; views see the new ones", () => {
  const { u, ref } = plate();
  const before = u.get(":-2, 1:-1").add(u.get("2:, 1:-1")); // lazy, reads u as it is now
  const row = u.get("5, :"); // a view: sees later writes
  u.set("1:-1, 1:-1", u.get("1:-1, 1:-1").mul(-1));
  let want = 0;
  for (let i = 0; i < N - 2; i++) for (let j = 1; j < N - 1; j++) want += ref[i * N + j] + ref[(i + 2) * N + j];
  assert.ok(Math.abs(Number(np.sum(before)) - want) <= 1e-9 * Math.abs(want));
  const r = row.tolist() as number[];
  assert.equal(r[0], ref[5 * N]);
  assert.equal(r[7], -ref[5 * N + 7]);
});

test("a 1-D shift in place (u[1:] = u[:-1])", () => {
  const n = 100_000;
  const u = np.arange(n, { dtype: "float64" });
  u.set("1:", u.get(":-1"));
  const got = u.toTypedArray() as Float64Array;
  assert.equal(got[0], 0);
  assert.equal(got[1], 0);
  assert.equal(got[n - 1], n - 2);
});

test("boxes and their complements tile the storage", () => {
  const st = new Storage(DTYPES.float64, 4 * 5 * 6);
  const v = new Store(st, [2, 3, 4], [30, 6, 1], 1 * 30 + 1 * 6 + 1);
  const box = boxOf(v)!;
  assert.deepEqual(box, { base: [4, 5, 6], lo: [1, 1, 1], hi: [3, 4, 5] });
  const seen = new Uint8Array(st.size);
  const mark = (s: Store) => {
    const walk = (d: number, at: number) => {
      if (d === s.ndim) {
        seen[at]++;
        return;
      }
      for (let i = 0; i < s.shape[d]; i++) walk(d + 1, at + i * s.strides[d]);
    };
    walk(0, s.offset);
  };
  mark(v);
  for (const s of complement(st, box)) mark(s);
  assert.ok(seen.every((x) => x === 1));
  assert.equal(boxOf(new Store(st, [3, 3], [12, 2], 0)), null); // stepped: not a box
});

test("the elements outside the box keep their values, for every item size and rank", () => {
  // int8 and int16 elements are carried over byte by byte, wider ones a word at a time;
  // runs of one element (a grid's edges) and whole planes both occur.
  const [A, B, C] = [40, 50, 60];
  for (const dtype of ["int8", "int16", "float32", "float64", "complex128"] as const) {
    const base = np
      .arange(A * B * C)
      .reshape(A, B, C)
      .astype(dtype);
    const u = base.copy();
    u.set("1:-2, 3:-1, 1:-1", u.get(":-3, 3:-1, 1:-1").add(u.get("1:-2, 2:-2, 2:")));
    const num = (x: unknown) => (typeof x === "object" && x !== null ? (x as { re: number }).re : Number(x));
    const got = u.tolist() as unknown[][][];
    const orig = base.tolist() as unknown[][][];
    let bad = 0;
    for (let i = 0; i < A; i++)
      for (let j = 0; j < B; j++)
        for (let k = 0; k < C; k++) {
          const inBox = i >= 1 && i < A - 2 && j >= 3 && j < B - 1 && k >= 1 && k < C - 1;
          const want = inBox ? num(orig[i - 1][j][k]) + num(orig[i][j - 1][k + 1]) : num(orig[i][j][k]);
          const have = num(got[i][j][k]);
          // int8/int16 sums wrap as NumPy's do.
          const wrap =
            dtype === "int8"
              ? ((((want + 128) % 256) + 256) % 256) - 128
              : dtype === "int16"
                ? ((((want + 32768) % 65536) + 65536) % 65536) - 32768
                : want;
          if (dtype === "float32" ? Math.fround(wrap) !== have : wrap !== have) bad++;
        }
    assert.equal(bad, 0, dtype);
  }
});
