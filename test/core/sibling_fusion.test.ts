/**
 * Sibling (horizontal) fusion: a reduction of one lazy value computes, in the same kernel,
 * the other lazy results made from the same inputs since the last blocking read (call and
 * put of Black-Scholes), so their shared work runs once. Older lazy values are left alone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { runtime } from "tessera/core";

const N = 1 << 17; // above the size where sibling fusion applies
const lazy = (a: np.ndarray) => (a._store.storage as unknown as { lazy: object | null }).lazy !== null;

test("a reduction computes its lazy siblings in the same kernel", () => {
  const a = np.arange(N, { dtype: "float64" });
  Number(a.item(0));
  const shared = np.exp(a.mul(1e-5));
  const call = shared.mul(2).add(1);
  const put = shared.mul(3).sub(1);
  assert.ok(lazy(call) && lazy(put));
  // Launches run when submitted (the second sum, with one CPU) count as launches too.
  const launches = () => runtime().stats.launches + runtime().eager.runs;
  const before = launches();
  const sCall = Number(np.sum(call));
  assert.equal(lazy(put), false, "put was computed with call");
  const sPut = Number(np.sum(put));
  let eCall = 0,
    ePut = 0;
  for (let i = 0; i < N; i++) {
    const e = Math.exp(i * 1e-5);
    eCall += e * 2 + 1;
    ePut += e * 3 - 1;
  }
  assert.ok(Math.abs(sCall - eCall) <= 1e-12 * Math.abs(eCall));
  assert.ok(Math.abs(sPut - ePut) <= 1e-12 * Math.abs(ePut));
  // One two-output map, then the two sums.
  assert.equal(launches() - before, 3);
});

test("lazy values from before the last blocking read are not computed speculatively", () => {
  const a = np.arange(N, { dtype: "float64" });
  Number(a.item(0));
  const old = a.mul(5);
  Number(a.item(1)); // a blocking read: `old` belongs to an earlier statement
  const fresh = a.mul(7);
  Number(np.sum(fresh));
  assert.ok(lazy(old), "an older lazy value stays lazy");
  assert.equal(Number(old.item(3)), 15);
});

test("siblings fuse when their input bound overcounts: arrays reused through lazy values are counted once", () => {
  // A lazy value's input count is a bound that adds a spliced value's inputs at each use, so
  // a value reused at every level (as Black-Scholes reuses d1 and d2) is bounded near a
  // kernel's 61 arguments while it reads 2 arrays: two such siblings exceed it together.
  const a = np.arange(N, { dtype: "float64" });
  const b = np.arange(N, { dtype: "float64" }).mul(1e-3);
  Number(a.item(0));
  Number(b.item(0));
  let v = a.add(b).mul(1e-6);
  for (let i = 0; i < 4; i++) v = v.mul(v).add(v.mul(0.5)).add(np.abs(v));
  const call = v.add(a);
  const put = v.sub(b);
  assert.ok(lazy(call) && lazy(put));
  // (With the C kernels' 61 arguments the two bounds are 57 each here; a backend that takes
  // fewer arguments, as WebGPU's, counts exactly at once.)
  Number(np.sum(call));
  assert.equal(lazy(put), false, "put was computed with call");
});
