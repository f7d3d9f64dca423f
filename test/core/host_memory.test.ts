/**
 * The host memory pool as a unit: freed buffers are reused by size, and a full pool gives up
 * its oldest buffers for the one freed last (a loop's sizes, not those of long-gone arrays).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DTYPES, Storage } from "tessera/core";
import { HostMemory } from "../../src/core/host_memory.js";

const MB = 2 ** 20;
const storage = (bytes: number) => new Storage(DTYPES.uint8, bytes);

test("a freed buffer is handed out again for the same size", () => {
  const mem = new HostMemory();
  const a = storage(4 * MB);
  const buf = mem.host(a);
  mem.release(a);
  const b = storage(4 * MB);
  assert.equal(mem.host(b), buf);
  assert.deepEqual(mem.stats, { allocated: 1, reused: 1 });
  mem.release(b);
});

test("a full pool drops its oldest buffers to keep the one freed last", () => {
  const mem = new HostMemory();
  // Three old 80 MiB buffers fill the pool's floor of 256 MiB (live bytes are few here).
  const old = [0, 1, 2].map(() => storage(80 * MB));
  for (const s of old) mem.host(s);
  for (const s of old) mem.release(s);
  // A loop now frees and allocates 40 MiB buffers: they must be reused, not faulted in afresh.
  const first = [storage(40 * MB), storage(40 * MB)];
  const bufs = first.map((s) => mem.host(s));
  for (const s of first) mem.release(s);
  const again = [storage(40 * MB), storage(40 * MB)];
  const reused = again.map((s) => mem.host(s));
  assert.deepEqual(new Set(reused), new Set(bufs));
  assert.equal(mem.stats.reused, 2);
  // The oldest 80 MiB buffer made room; the others are still pooled.
  const big = [storage(80 * MB), storage(80 * MB), storage(80 * MB)];
  for (const s of big) mem.host(s);
  assert.equal(mem.stats.reused, 4);
  for (const s of [...again, ...big]) mem.release(s);
});
