/**
 * np.ndindex and np.ndenumerate against test/fixtures/iterators.json
 * (test/fixtures/generate_iterators.py): the whole sequence of each iterator, and errors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { loadCases, replay } from "./call_fixture.js";

type Fn = (...a: unknown[]) => Iterable<unknown>;
replay(loadCases("iterators"), {
  call: (c, args, kw) => [...(np as unknown as Record<string, Fn>)[c.fn](...args, ...kw)],
});

test("ndindex and ndenumerate are iterators (iterable once, instanceof their function)", () => {
  const it = np.ndindex(2, 2);
  assert.ok(it instanceof np.ndindex);
  assert.deepEqual(it.next().value, [0, 0]);
  assert.deepEqual(
    [...it],
    [
      [0, 1],
      [1, 0],
      [1, 1],
    ],
  );
  assert.deepEqual([...it], []);
  const e = np.ndenumerate(np.array([7, 8]));
  assert.ok(e instanceof np.ndenumerate);
  assert.deepEqual(
    [...e],
    [
      [[0], 7],
      [[1], 8],
    ],
  );
  assert.throws(() => np.ndenumerate(), { name: "TypeError", message: "ndenumerate() missing 1 required positional argument: 'arr'" });
});
