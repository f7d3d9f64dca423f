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
