/**
 * Functional routines with JavaScript functions. The expected values are NumPy 2.4.6's for
 * the same functions written in Python (np.sum, lambda v: v * 2, np.diag, …), shown beside
 * each case.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

const a = np.arange(12).reshape(3, 4);
const b = np.arange(24).reshape(2, 3, 4);

test("apply_along_axis: reductions, same-length results, extra arguments, results with more dims", () => {
  // np.apply_along_axis(np.sum, 1, a)
  assert.deepEqual(np.apply_along_axis((v: InstanceType<typeof np.ndarray>) => np.sum(v), 1, a).tolist(), [6, 22, 38]);
  // np.apply_along_axis(lambda v: v * 2, 0, a)
  assert.deepEqual(np.apply_along_axis((v: InstanceType<typeof np.ndarray>) => v.mul(2), 0, a).tolist(), [
    [0, 2, 4, 6],
    [8, 10, 12, 14],
    [16, 18, 20, 22],
  ]);
  // np.apply_along_axis(lambda v, k: np.array([v[0], v[-1]]) * k, 1, a, 10)
  const ends = (v: InstanceType<typeof np.ndarray>, k: number) => np.array([v.get(0), v.get(-1)]).mul(k);
  assert.deepEqual(np.apply_along_axis(ends, 1, a, 10).tolist(), [
    [0, 30],
    [40, 70],
    [80, 110],
  ]);
  // np.apply_along_axis(np.diag, 2, b).shape and a value
  const d = np.apply_along_axis((v: InstanceType<typeof np.ndarray>) => np.diag(v), 2, b);
  assert.deepEqual(d.shape, [2, 3, 4, 4]);
  assert.equal(d.get(1, 2, 3, 3).item(), 23);
  // The axis is normalised as NumPy does.
  assert.deepEqual(np.apply_along_axis((v: InstanceType<typeof np.ndarray>) => np.sum(v), -1, a).tolist(), [6, 22, 38]);
});

test("apply_along_axis: NumPy's errors", () => {
  assert.throws(() => np.apply_along_axis((v: unknown) => v, 0, np.zeros([2, 0])), {
    name: "ValueError",
    message: "Cannot apply_along_axis when any iteration dimensions are 0",
  });
  assert.throws(() => np.apply_along_axis((v: unknown) => v, 2, a), { name: "AxisError" });
});

test("apply_over_axes keeps the reduced dims", () => {
  // np.apply_over_axes(np.sum, b, [0, 2])
  assert.deepEqual(np.apply_over_axes(np.sum, b, [0, 2]).tolist(), [[[60], [92], [124]]]);
  assert.deepEqual(np.apply_over_axes(np.sum, b, 1).shape, [2, 1, 4]);
});

test("piecewise: values, functions and the otherwise case", () => {
  const x = np.linspace(-2.5, 2.5, 6);
  // np.piecewise(x, [x < 0, x >= 0], [-1, 1])
  assert.deepEqual(np.piecewise(x, [x.lt(0), x.ge(0)], [-1, 1]).tolist(), [-1, -1, -1, 1, 1, 1]);
  // np.piecewise(x, [x < 0], [lambda v: -v, lambda v: v * 10])
  const neg = (v: InstanceType<typeof np.ndarray>) => v.neg();
  const tenfold = (v: InstanceType<typeof np.ndarray>) => v.mul(10);
  assert.deepEqual(np.piecewise(x, [x.lt(0)], [neg, tenfold]).tolist(), [2.5, 1.5, 0.5, 5, 15, 25]);
  assert.throws(() => np.piecewise(x, [x.lt(0)], [1, 2, 3]), {
    name: "ValueError",
    message: "with 1 condition(s), either 1 or 2 functions are expected",
  });
});
