/**
 * In-place operators: `a.iadd(b)` is Python's `a += b` — the ufunc written into `a` with
 * NumPy's same_kind casting, returning `a`. Expected values and messages are NumPy 2.4's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";

test("a.iadd(b) writes into a and returns it; views write through to their base", () => {
  const a = np.arange(6, { dtype: "float64" }).reshape(2, 3);
  const r = a.iadd(np.array([10, 20, 30]));
  assert.equal(r, a);
  assert.deepEqual(a.tolist(), [
    [10, 21, 32],
    [13, 24, 35],
  ]);
  const v = a.get(0);
  v.imul(2);
  assert.deepEqual((a.tolist() as number[][])[0], [20, 42, 64]);
  const i = np.arange(5);
  i.ifloordiv(2).ipow(2).isub(1);
  assert.deepEqual(i.tolist(), [-1, -1, 0, 0, 3]);
});

test("the other operators, on the dtypes NumPy takes", () => {
  const i = np.array([6, 7, 8], { dtype: "int32" });
  i.imod(4);
  assert.deepEqual(i.tolist(), [2, 3, 0]);
  i.ilshift(2).irshift(1);
  assert.deepEqual(i.tolist(), [4, 6, 0]);
  i.iand(6).ior(1).ixor(3);
  assert.deepEqual(i.tolist(), [6, 4, 2]);
  const f = np.array([1, 2, 4], { dtype: "float32" });
  f.itruediv(4);
  assert.deepEqual(f.tolist(), [0.25, 0.5, 1]);
  assert.equal(f.dtype.name, "float32");
});

test("same_kind casting: a float into an int array is NumPy's UFuncTypeError, and the array is unchanged", () => {
  const a = np.ones(3, { dtype: "int64" });
  assert.throws(() => a.iadd(1.5), {
    name: "UFuncTypeError",
    message: "Cannot cast ufunc 'add' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'",
  });
  assert.deepEqual(a.tolist(), [1, 1, 1]);
  assert.throws(() => a.iadd(), { name: "TypeError" });
});

test("a.imatmul(b) is a @= b: the product written into a, which must keep its shape", () => {
  const a = np.ones([2, 3]);
  a.imatmul(np.ones([3, 3]));
  assert.deepEqual(a.tolist(), [
    [3, 3, 3],
    [3, 3, 3],
  ]);
  assert.throws(() => np.ones([2, 3]).imatmul(np.ones([3, 4])), {
    name: "ValueError",
    message:
      "matmul: Output operand 0 has a mismatch in its core dimension 1, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 4)",
  });
  assert.throws(() => np.ones([2, 2], { dtype: "int64" }).imatmul(np.ones([2, 2])), {
    name: "UFuncTypeError",
    message: "Cannot cast ufunc 'matmul' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'",
  });
});
