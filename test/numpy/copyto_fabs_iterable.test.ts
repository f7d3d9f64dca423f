/**
 * np.copyto, np.fabs and np.iterable: values, dtypes and NumPy 2.4.6's errors (shown beside
 * each case as NumPy prints them).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

test("copyto: same_kind casting of arrays and Python scalars, broadcasting, where, unsafe", () => {
  const a = np.zeros(3, { dtype: "int64" });
  assert.throws(() => np.copyto(a, np.ones(3)), {
    name: "TypeError",
    message: "Cannot cast array data from dtype('float64') to dtype('int64') according to the rule 'same_kind'",
  });
  assert.throws(() => np.copyto(a, 1.5), {
    name: "TypeError",
    message: "Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'same_kind'",
  });
  np.copyto(a, np.array([1, 2, 3], { dtype: "int32" }));
  assert.deepEqual(a.tolist(), [1, 2, 3]);
  const b = np.zeros(3);
  np.copyto(b, [1, 2, 3], { where: [true, false, true] });
  assert.deepEqual(b.tolist(), [1, 0, 3]);
  const c = np.zeros([2, 3]);
  np.copyto(c, np.arange(3));
  assert.deepEqual(c.tolist(), [
    [0, 1, 2],
    [0, 1, 2],
  ]);
  assert.throws(() => np.copyto(c, np.arange(2)), {
    name: "ValueError",
    message: "could not broadcast input array from shape (2,) into shape (2,3)",
  });
  assert.throws(() => np.copyto([1, 2] as never, np.arange(2)), {
    name: "TypeError",
    message: "copyto() argument 1 must be a numpy.ndarray, not list",
  });
  const d = np.zeros(3, { dtype: "int64" });
  np.copyto(d, np.ones(3).mul(2.7), { casting: "unsafe" });
  assert.deepEqual(d.tolist(), [2, 2, 2]);
});

test("fabs: floats keep their dtype, integers become float64, complex is refused", () => {
  assert.equal(np.fabs(np.array([-1, 2])).dtype.name, "float64");
  assert.deepEqual(np.fabs(np.array([-1, 2])).tolist(), [1, 2]);
  assert.equal(np.fabs(-2.5).item(), 2.5);
  assert.equal(np.fabs(np.array([-1.5], { dtype: "float32" })).dtype.name, "float32");
  assert.throws(() => np.fabs(np.array([1, 2], { dtype: "complex128" })), {
    name: "TypeError",
    message:
      "ufunc 'fabs' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
  });
});

test("iterable: lists, strings and arrays with a dim are; numbers and 0-d arrays are not", () => {
  assert.equal(np.iterable([1]), true);
  assert.equal(np.iterable(np.array(1)), false);
  assert.equal(np.iterable(3), false);
  assert.equal(np.iterable("ab"), true);
  assert.equal(np.iterable(np.arange(3)), true);
});
