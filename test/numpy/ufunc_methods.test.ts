// The ufunc objects' attributes against NumPy's (test/fixtures/ufunc_attrs.json, written by
// generate_ufunc_attrs.py), the named fields of the unique_* results, and np.mask_indices with
// a mask function written here. Values of the ufunc methods and routines are in the
// conformance fixture.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";

const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/ufunc_attrs.json", import.meta.url), "utf8")) as {
  ufuncs: Record<string, { nin: number; nout: number; nargs: number; identity: number | boolean | string | null; ntypes: number; types: string[] }>;
  mask_indices: Record<string, number[][]>;
};

test("every exported ufunc carries NumPy's nin, nout, nargs and identity, and loops NumPy has", () => {
  let checked = 0;
  for (const [name, want] of Object.entries(fixture.ufuncs)) {
    const value = (np as unknown as Record<string, unknown>)[name];
    if (typeof value !== "function" || !("nin" in value)) continue;
    const f = value as unknown as np.UfuncMethods;
    assert.equal(f.nin, want.nin, `${name}.nin`);
    assert.equal(f.nout, want.nout, `${name}.nout`);
    assert.equal(f.nargs, want.nargs, `${name}.nargs`);
    // JSON has no infinities: the fixture writes them as strings.
    const identity = typeof want.identity === "string" ? Number(want.identity.replace("inf", "Infinity")) : want.identity;
    assert.equal(f.identity, identity, `${name}.identity`);
    assert.equal(f.ntypes, f.types.length, `${name}.ntypes`);
    assert.ok(f.types.length > 0, `${name} has loops`);
    for (const t of f.types) assert.ok(want.types.includes(t), `${name}: loop ${t} is not one of NumPy's`);
    for (const m of ["reduce", "accumulate", "outer", "at", "reduceat"] as const) assert.equal(typeof f[m], "function", `${name}.${m}`);
    checked++;
  }
  assert.ok(checked >= 60, `only ${checked} ufuncs checked`);
});

test("the unique_* results are indexable by position and by NumPy's field names", () => {
  const x = np.array([
    [3, 1, 3],
    [1, 2, 3],
  ]);
  const all = np.unique_all(x);
  assert.equal(all.length, 4);
  assert.equal(all.values, all[0]);
  assert.equal(all.indices, all[1]);
  assert.equal(all.inverse_indices, all[2]);
  assert.equal(all.counts, all[3]);
  assert.deepEqual(all.inverse_indices.tolist(), [
    [2, 0, 2],
    [0, 1, 2],
  ]);
  const counts = np.unique_counts(x);
  assert.deepEqual(
    [counts.values.tolist(), counts.counts.tolist()],
    [
      [1, 2, 3],
      [2, 1, 3],
    ],
  );
  const inv = np.unique_inverse(x);
  assert.deepEqual(inv.inverse_indices.shape, [2, 3]);
  assert.equal(inv.values, inv[0]);
});

test("np.mask_indices with a triangle mask function matches NumPy's with np.triu / np.tril", () => {
  const triangle = (upper: boolean) => (m: np.ndarray, k: unknown) => {
    const n = m.shape[0];
    const d = np.subtract(np.arange(n).reshape(1, n), np.arange(n).reshape(n, 1));
    const keep = upper ? np.greater_equal(d, k as number) : np.less_equal(d, k as number);
    return np.multiply(m, keep);
  };
  for (const [key, want] of Object.entries(fixture.mask_indices)) {
    const [name, n, k] = key.split(" ");
    const got = np.mask_indices(Number(n), triangle(name === "triu"), Number(k));
    assert.deepEqual(
      got.map((a) => a.tolist()),
      want,
      key,
    );
  }
});
