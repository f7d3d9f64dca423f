/**
 * A loop of large arrays that are never read does not hold them all: the window is flushed
 * once its pending launches would allocate `windowBytes`, and the dead arrays of earlier
 * windows are collected once held memory has grown by URGENT × RECLAIM_MIN (2 × 128 MiB).
 *
 * Run without the buffer pool (TESSERA_POOL_BYTES=0), so that every allocation is a fresh
 * one that the collection rule sees: with the pool, a reused buffer is not growth, and how
 * much of the loop is served from the pool depends on when V8 happens to run finalisers,
 * so the live bytes at any moment would not be deterministic.
 */
import { test } from "node:test";
import assert from "node:assert/strict";

process.env.TESSERA_POOL_BYTES = "0";
const np = await import("tessera");
const { runtime } = await import("tessera/core");

const MiB = 2 ** 20;

test("a loop of large arrays that are never read does not hold them all", () => {
  const n = 1 << 20; // 8 MiB each
  const rng = np.random.default_rng(3);
  const a = rng.random([n]) as InstanceType<typeof np.ndarray>,
    b = rng.random([n]) as InstanceType<typeof np.ndarray>;
  a.item(0);
  b.item(0);
  let c = a;
  let most = 0;
  for (let i = 0; i < 60; i++) {
    c = np.add(a, b);
    np.multiply(c, 1.5, { out: c });
    most = Math.max(most, runtime().liveBytes);
  }
  const want = ((a.item(5) as number) + (b.item(5) as number)) * 1.5;
  assert.equal(c.item(5), want);
  most = Math.max(most, runtime().liveBytes);
  // a and b, one window's allocations, and the growth that forces a collection.
  const bound = 16 * MiB + runtime().windowBytes + 2 * 128 * MiB;
  assert.ok(most <= bound, `held up to ${(most / MiB).toFixed(0)} MiB for 480 MiB of results (bound ${(bound / MiB).toFixed(0)} MiB)`);
});
