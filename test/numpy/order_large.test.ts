/**
 * np.median, np.quantile (every method), np.percentile, their nan forms and np.partition /
 * np.argpartition on arrays long enough for the parallel selection of one long row, and on
 * the rows of a 2-D array, against test/fixtures/order_large.json
 * (test/fixtures/generate_order_large.py). The inputs are rebuilt here from
 * np.random.default_rng(seed), which gives NumPy's numbers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../src/index.js";

interface Case {
  kind: string;
  fn: string;
  args: { method?: string; axis?: number; kth?: number[] };
  dtype: string;
  values: (number | null)[];
}
const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/order_large.json", import.meta.url), "utf8")) as {
  n: number;
  qs: number[];
  cases: Case[];
};
const N = fixture.n;

/** The inputs of generate_order_large.py's inputs(). */
function input(kind: string): np.ndarray {
  const rng = (seed: number) => np.random.default_rng(seed);
  switch (kind) {
    case "f64":
      return rng(11).random([N]) as np.ndarray;
    case "f64nan": {
      const a = rng(12).random([N]) as np.ndarray;
      a.set("::97", Number.NaN);
      return a;
    }
    case "f32":
      return (rng(13).random([N]) as np.ndarray).astype("float32");
    case "i32":
      return np.floor(np.subtract(np.multiply(rng(14).random([N]) as np.ndarray, 1000), 500)).astype("int32");
    case "u8":
      return np.floor(np.multiply(rng(15).random([N]) as np.ndarray, 256)).astype("uint8");
    case "rows":
      return rng(16).random([150, 401]) as np.ndarray;
  }
  throw new Error(kind);
}
const inputs = new Map<string, np.ndarray>();
const get = (kind: string): np.ndarray => {
  if (!inputs.has(kind)) inputs.set(kind, input(kind));
  return inputs.get(kind) as np.ndarray;
};

const asNumbers = (r: np.ndarray): (number | null)[] =>
  Array.from(r.astype("float64").ravel().toTypedArray() as Float64Array, (v) => (Number.isNaN(v) ? null : v));

/** The partition property along the last axis at position k of every row, and the kth values. */
function checkPartition(p: np.ndarray, k: number, expected: (number | null)[]): void {
  const at = p.get("...", k);
  assert.deepEqual(asNumbers(at), expected);
  const col = at.reshape([...at.shape, 1]);
  const before = p.get("...", `:${k}`),
    after = p.get("...", `${k + 1}:`);
  assert.ok(np.all(np.logical_or(np.less_equal(before, col), np.isnan(col))).item(), "no greater element before kth");
  assert.ok(np.all(np.logical_or(np.greater_equal(after, col), np.isnan(after))).item(), "no smaller element after kth");
}

for (const c of fixture.cases) {
  const label = `${c.fn} ${c.kind} ${JSON.stringify(c.args)}`;
  test(label, () => {
    const a = get(c.kind);
    if (c.fn === "partition") {
      const kth = c.args.kth as number[];
      const axis = c.args.axis ?? -1;
      const moved = (r: np.ndarray) => (axis === 0 && a.ndim === 2 ? r.T : r);
      const p = np.partition(a, kth, { axis });
      assert.equal(p.dtype.name, c.dtype);
      assert.deepEqual(asNumbers(np.sort(p, { axis })), asNumbers(np.sort(a, { axis })), "a permutation");
      const viaArg = np.take_along_axis(a, np.argpartition(a, kth, { axis }), axis);
      for (const [i, k] of kth.entries()) {
        const expected = a.ndim === 1 ? [c.values[i]] : c.values;
        checkPartition(moved(p), k, expected);
        checkPartition(moved(viaArg), k, expected);
      }
      return;
    }
    const opts: Record<string, unknown> = {};
    if (c.args.method) opts.method = c.args.method;
    if (c.args.axis !== undefined) opts.axis = c.args.axis;
    let r: np.ndarray;
    if (c.fn === "median" || c.fn === "nanmedian") r = np[c.fn](a, opts);
    else if (c.fn === "percentile" || c.fn === "nanpercentile") r = np[c.fn](a, [5, 50, 95], opts);
    else {
      const f = c.fn === "quantile" ? np.quantile : np.nanquantile;
      r = f(a, c.kind === "rows" ? [0.1, 0.9] : fixture.qs, opts);
    }
    assert.equal(r.dtype.name, c.dtype);
    assert.deepEqual(asNumbers(r), c.values);
  });
}
