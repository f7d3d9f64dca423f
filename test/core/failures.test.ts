/**
 * A launch that fails (a data error in its kernel, memory it cannot get, a point task that
 * throws on a worker) does not take the launches queued with it down: those that do not
 * depend on it run, and what it writes (and, in turn, what is computed from that) raises its
 * error when read. Never a stale value.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { runtime, ir, TaskError, type Store } from "tessera/core";
import { variants } from "./faulty_tasks.js";

const rt = runtime();
const lib = rt.library("faulty", { module: new URL("./faulty_tasks.js", import.meta.url).href });
for (const [k, v] of Object.entries(variants)) lib.registerTask(k, v);
const BIG = 1 << 20; // large enough that the default mapper uses the worker pool
const f64 = "float64" as const;

/** The error `f` throws (it must throw). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  assert.fail("expected an error");
}

/** Same class and message as `first`. */
function same(first: Error): (e: unknown) => boolean {
  return (e) => e instanceof Error && e.constructor === first.constructor && e.message === first.message;
}

function scale(s: Store, k: number): void {
  rt.submit({
    kind: "map",
    name: "scale",
    inputs: [s],
    outputs: [{ store: s, expr: ir.binary("mul", ir.load(0, f64), ir.scalar(0, f64)) }],
    scalars: [k],
  });
}

function plusOne(s: Store): Store {
  const out = rt.createStore(s.shape, s.dtype);
  rt.submit({
    kind: "map",
    name: "plus_one",
    inputs: [s],
    outputs: [{ store: out, expr: ir.binary("add", ir.load(0, f64), ir.constant(1, f64)) }],
    scalars: [],
  });
  return out;
}

test("an error at a blocking point keeps the launches queued with it: independent ones run, dependent ones raise it", () => {
  const a = np.arange(3);
  const c = np.zeros(3);
  np.add(a, 1, { out: c });
  const bad = np.power(np.array([2, 3, 4]), np.array([-1, -2, -3]));
  np.multiply(c, 2, { out: c });
  np.multiply(c, 3, { out: c });
  const first = thrown(() => bad.tolist());
  assert.ok(first instanceof np.ValueError);
  assert.equal(first.message, "Integers to negative integer powers are not allowed.");
  assert.deepEqual(c.tolist(), [6, 12, 18]);
  // Transitively: what is computed from the failed result raises the same error.
  const d = np.add(bad, 1);
  assert.throws(() => d.tolist(), same(first));
  assert.throws(() => bad.tolist(), same(first), "read again: the same error");
  assert.throws(() => np.sum(np.multiply(d, 2)).item(), same(first));
  assert.deepEqual(c.tolist(), [6, 12, 18]);
});

test("a failed launch writing into an existing array poisons it until it is wholly overwritten", () => {
  const e = np.array([1.5, 2.5, 3.5]);
  const c = np.array([1, 2, 3]);
  np.power(np.array([2, 3, 4]), np.array([-1, 2, 3]), { out: c });
  const keep = np.multiply(e, 2);
  const first = thrown(() => c.tolist());
  assert.ok(first instanceof np.ValueError);
  assert.deepEqual(keep.tolist(), [3, 5, 7]);
  assert.throws(() => np.add(c, 1).tolist(), same(first));
  assert.throws(() => c.get(0).item(), same(first), "any view of it");
  c.set("...", 7);
  assert.deepEqual(c.tolist(), [7, 7, 7], "overwritten: valid again");
  assert.deepEqual(np.add(c, 1).tolist(), [8, 8, 8]);
});

test("memory that cannot be allocated fails that launch alone; later launches on other arrays still run", () => {
  const c = rt.attach([3], f64, Float64Array.from([1, 2, 3]));
  const huge = rt.createStore([2 ** 40], f64); // 8 TiB: allocated (and failing) when the launch runs
  rt.submit(lib.launch("fill", { args: [{ store: huge, privilege: "write" }] }));
  scale(c, 2);
  scale(c, 3);
  const first = thrown(() => rt.read(huge));
  assert.match(first.message, /allocat/i);
  assert.deepEqual(Array.from(rt.read(c) as Float64Array), [6, 12, 18]);
  const d = plusOne(huge);
  assert.throws(() => rt.read(d), same(first));
});

test("a point task that throws on a worker fails its launch alone, even beside others in the same batch", () => {
  const bad = rt.createStore([BIG], f64);
  const good = rt.createStore([BIG], f64);
  rt.submit(lib.launch("throws", { args: [{ store: bad, privilege: "write" }] }));
  rt.submit(lib.launch("fill", { args: [{ store: good, privilege: "write" }] }));
  const after = plusOne(bad);
  const kept = plusOne(good);
  const first = thrown(() => rt.read(after));
  assert.ok(first instanceof TaskError && /boom in point task/.test(first.message), String(first));
  assert.throws(() => rt.read(bad), same(first));
  const k = rt.read(kept) as Float64Array;
  assert.equal(k[0], 1.5);
  assert.equal(k[BIG - 1], BIG + 0.5);
});

test("flush() still throws the first failure, after running everything else", () => {
  const bad = rt.createStore([8], f64);
  const c = rt.attach([2], f64, Float64Array.from([1, 2]));
  rt.submit(lib.launch("throws", { args: [{ store: bad, privilege: "write" }] }));
  scale(c, 5);
  assert.throws(() => rt.flush(), /boom in point task/);
  assert.deepEqual(Array.from(rt.read(c) as Float64Array), [5, 10]);
});
