/**
 * np.vectorize and np.frompyfunc against test/fixtures/functional.json
 * (test/fixtures/generate_functional.py): FUNCS are the fixture's Python functions written in
 * JS (Python's // and % floor; keywords arrive as a trailing object).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { loadCases, replay } from "./call_fixture.js";

type Fn = (...a: unknown[]) => unknown;
const nd = (v: unknown) => v as np.ndarray;
const FUNCS: Record<string, Fn> = {
  add: (a, b) => (a as number) + (b as number),
  sub_first: (a, b) => ((a as number) > (b as number) ? (a as number) - (b as number) : 0),
  gt: (a, b) => (a as number) > (b as number),
  div7: (x) => (x as number) / 7,
  divmod3: (x) => [Math.floor((x as number) / 3), (x as number) - 3 * Math.floor((x as number) / 3)],
  polyv: (x, p) => (p as number[]).reduce((s, c, i) => s + c * (x as number) ** i, 0),
  addk: (x, kw) => (x as number) + ((kw as { k?: number })?.k ?? 0),
  norm2: (a) => Math.sqrt(Number(np.sum(nd(a).mul(nd(a))).item())),
  rev: (a) => nd(a).get("::-1"),
  minmax: (a) => [nd(a).min(), nd(a).max()],
  outer1: (a, b) => np.multiply.outer(nd(a), nd(b)),
  const5: () => 5,
  cplx: (x) => ({ re: x as number, im: 1 }),
};

replay(loadCases("functional"), {
  fns: FUNCS,
  call: (c, args) => {
    if (c.fn === "vectorize") {
      const [f, options, callArgs, kwargs] = args as [Fn, Record<string, unknown>, unknown[], Record<string, unknown>];
      const vf = np.vectorize(f, options) as unknown as Fn;
      return Object.keys(kwargs).length ? vf(...callArgs, kwargs) : vf(...callArgs);
    }
    if (args.length === 4) {
      const [f, nin, nout, callArgs] = args as [Fn, number, number, unknown[]];
      return (np.frompyfunc(f, nin, nout) as unknown as Fn)(...callArgs);
    }
    return (np.frompyfunc as unknown as Fn)(...args);
  },
});

test("vectorize: the decorator form, attributes, and one call per element (twice for the first without cache)", () => {
  let calls = 0;
  const f = (x: unknown) => {
    calls++;
    return (x as number) * 2;
  };
  const vf = (np.vectorize({ otypes: "d" }) as unknown as Fn)(f) as np.Vectorized;
  assert.deepEqual(nd(vf([1, 2, 3])).tolist(), [2, 4, 6]);
  assert.equal(nd(vf([1, 2, 3])).dtype, np.float64);
  assert.equal(vf.otypes, "d");
  calls = 0;
  np.vectorize(f)([1, 2, 3]);
  assert.equal(calls, 4);
  calls = 0;
  np.vectorize(f, { cache: true })([1, 2, 3]);
  assert.equal(calls, 3);
  assert.throws(() => np.vectorize(3 as never), { name: "TypeError", message: "When used as a decorator, only accepts keyword arguments." });
  assert.throws(() => np.vectorize(f, { otypes: "O" }), { name: "NotImplementedError" });
});

test("frompyfunc: attributes, argument count, and keywords it cannot honour", () => {
  function plus(a: unknown, b: unknown) {
    return (a as number) + (b as number);
  }
  const u = np.frompyfunc(plus, 2, 1);
  assert.equal(u.nin, 2);
  assert.equal(u.nout, 1);
  assert.equal(u.nargs, 3);
  assert.equal(u.identity, null);
  assert.equal(u.__name__, "plus (vectorized)");
  assert.throws(() => u(1), { name: "TypeError", message: "plus (vectorized)() takes from 2 to 3 positional arguments but 1 was given" });
  assert.throws(() => u(1, 2, { where: true }), { name: "NotImplementedError" });
  assert.equal(np.frompyfunc(plus, 2, 1, { identity: 0 }).identity, 0);
});
