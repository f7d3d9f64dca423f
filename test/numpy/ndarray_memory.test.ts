/**
 * ndarray's memory attributes and methods (flags, base, flat, mT, device, tobytes, byteswap,
 * view, resize, to_device, setflags, includes for Python's `in`, length for len()) against
 * test/fixtures/ndarray_memory.json (test/fixtures/generate_ndarray_memory.py).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as np from "tessera";
import { loadCases, replay } from "./call_fixture.js";
import { runtime } from "../../src/core/index.js";

type A = InstanceType<typeof np.ndarray>;
/** (shape, index, transposed): a view of a fresh C-ordered float64 array, and that array. */
function viewOf(shape: number[], index: string, transposed: boolean): [A, A] {
  const x = np
    .arange(
      shape.reduce((p, n) => p * n, 1),
      { dtype: "float64" },
    )
    .reshape(shape)
    .copy();
  const v = index ? x.get(index) : x;
  return [transposed ? v.T : v, x];
}
const flatItem = (item: unknown, v: A): unknown => (item === "mask" ? np.arange(v.size).mod(3).eq(0) : item);

const OPS: Record<string, (...a: never[]) => unknown> = {
  flags: (shape: number[], index: string, tr: boolean) => {
    const [v, x] = viewOf(shape, index, tr);
    const f = v.flags;
    return [
      f.c_contiguous,
      f.f_contiguous,
      f.owndata,
      f.writeable,
      f.aligned,
      f.writebackifcopy,
      f.get("FNC"),
      f.get("FORC"),
      f.behaved,
      f.carray,
      f.farray,
      v !== x ? v.base === x : v.base === null,
    ];
  },
  mT: (a: A) => a.mT,
  device: (a: A) => a.device,
  to_device: (a: A, d: string) => a.to_device(d),
  tobytes: (a: A, o: "C") => a.tobytes(o),
  tobytes_T: (a: A, o: "C") => a.T.tobytes(o),
  byteswap: (a: A) => a.byteswap(),
  byteswap_inplace: (a: A) => {
    const c = a.copy();
    assert.equal(c.byteswap(true), c);
    return c;
  },
  view: (a: A, d?: string) => {
    const v = d === undefined ? a.view() : a.view(d);
    assert.notEqual(v, a);
    return v;
  },
  flat_get: (shape: number[], index: string, tr: boolean, item: unknown) => {
    const [v] = viewOf(shape, index, tr);
    return v.flat.get(flatItem(item, v) as never);
  },
  flat_set: (shape: number[], index: string, tr: boolean, item: unknown, value: unknown) => {
    const [v, x] = viewOf(shape, index, tr);
    v.flat.set(flatItem(item, v) as never, value as never);
    return x;
  },
  flat_iter: (a: A) => [...a.flat],
  flat_len: (a: A) => a.flat.length,
  flat_state: (a: A, k: number) => {
    const f = a.flat;
    for (let i = 0; i < k; i++) f.next();
    return [f.index, f.coords];
  },
  resize: (a: A, ...shape: number[]) => {
    const c = a.copy();
    c.resize(...shape);
    return c;
  },
  resize_view: (a: A, n: number) => a.get("::2").resize(n),
  includes: (a: A, v: unknown) => a.includes(v),
  setflags: (a: A, kw: Record<string, boolean>) => {
    const c = a.copy();
    c.setflags(kw);
    return [c.flags.writeable, c.flags.aligned, c.flags.writebackifcopy];
  },
  len: (a: A) => a.length,
};

replay(loadCases("ndarray_memory"), {
  call: (c, args) => {
    const f = OPS[c.fn];
    assert.ok(f, `no operation ${c.fn}`);
    return f(...(args as never[]));
  },
});

test("base is the array that owns the memory; views of views name it too", () => {
  const a = np.arange(6, { dtype: "float64" });
  const b = a.reshape(2, 3);
  assert.equal(a.base, null);
  assert.equal(b.base, a);
  assert.equal(b.T.get(0).base, a);
  assert.equal(b.copy().base, null);
});

test("resize gives the array new memory that it owns; a.flat = v repeats v", () => {
  const a = np.arange(4, { dtype: "float64" });
  a.resize(2, 3);
  assert.deepEqual(a.tolist(), [
    [0, 1, 2],
    [3, 0, 0],
  ]);
  assert.equal(a.base, null);
  a.flat = [9, 8] as never;
  assert.deepEqual(a.tolist(), [
    [9, 8, 9],
    [8, 9, 8],
  ]);
});

test("flags cannot be made read-only, and the layout flags are not assignable", () => {
  const f = np.ones([2, 2]).flags;
  assert.throws(
    () => {
      f.writeable = false;
    },
    { name: "NotImplementedError" },
  );
  assert.throws(
    () => {
      (f as unknown as { c_contiguous: boolean }).c_contiguous = false;
    },
    { name: "AttributeError", message: "attribute 'c_contiguous' of 'numpy._core.multiarray.flagsobj' objects is not writable" },
  );
  assert.throws(() => f.get("Z"), { name: "KeyError" });
  assert.throws(() => np.ones(3).view("int64"), { name: "NotImplementedError" });
  assert.throws(() => np.ones(3).setflags({ write: false }), { name: "NotImplementedError" });
});

test("runtime().once waits for every rank: rank 0 does not remove a file a slower rank still reads", () => {
  const dir = runtime().bcast((runtime().dist?.rank ?? 0) === 0 ? mkdtempSync(path.join(os.tmpdir(), "tessera-once-")) : "");
  const file = path.join(dir, "x");
  runtime().once(() => writeFileSync(file, "written"));
  // Across ranks, rank 1 lags (no array work in the branch, so the ranks' streams agree).
  if ((runtime().dist?.rank ?? 0) === 1) {
    const until = Date.now() + 200;
    while (Date.now() < until);
  }
  const seen = readFileSync(file, "utf8");
  runtime().once(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(seen, "written");
});

test("tofile writes the bytes, or text with a separator, that fromfile reads back", () => {
  // Across MPI ranks tofile writes once, on rank 0: every rank uses rank 0's directory.
  const dir = runtime().bcast((runtime().dist?.rank ?? 0) === 0 ? mkdtempSync(path.join(os.tmpdir(), "tessera-tofile-")) : "");
  try {
    const a = np.array([
      [1.5, -2],
      [3, 4.25],
    ]);
    const bin = path.join(dir, "a.bin"),
      txt = path.join(dir, "a.txt");
    a.T.tofile(bin);
    a.tofile(txt, ", ");
    np.array(0).flatValues(); // runs the deferred writes
    assert.deepEqual(readFileSync(bin), Buffer.from(a.T.tobytes()));
    assert.equal(readFileSync(txt, "utf8"), "1.5, -2.0, 3.0, 4.25");
    assert.deepEqual(np.fromfile(bin).tolist(), [1.5, 3, -2, 4.25]);
  } finally {
    runtime().once(() => rmSync(dir, { recursive: true, force: true }));
  }
});
