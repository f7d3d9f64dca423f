// np.random.BitGenerator, the base of the bit generators, against NumPy
// (test/fixtures/random_generator.json: "raw" and "bitgen_errors"): random_raw around
// Generator draws, spawn's children, the base class's errors, and what it does not support.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";

const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/random_generator.json", import.meta.url), "utf8"));
type Raw = {
  bitgen: "PCG64" | "MT19937" | "SFC64" | "PCG64DXSM" | "Philox";
  seed: number | number[];
  one: string;
  three: string[];
  half: number[];
  none: null;
  grid: string[];
  after: number[];
  kids: string[][];
  isinstance: boolean;
};
const CLASSES = {
  PCG64: np.random.PCG64,
  MT19937: np.random.MT19937,
  SFC64: np.random.SFC64,
  PCG64DXSM: np.random.PCG64DXSM,
  Philox: np.random.Philox,
};
const words = (a: unknown): string[] => ((a as np.ndarray).flatValues() as bigint[]).map(String);

for (const r of fx.raw as Raw[]) {
  test(`${r.bitgen}(${JSON.stringify(r.seed)}): random_raw, Generator draws around it and spawn equal NumPy's`, () => {
    const bg = new CLASSES[r.bitgen](r.seed);
    const g = new np.random.Generator(bg);
    assert.equal(bg instanceof np.random.BitGenerator, r.isinstance);
    const one = bg.random_raw();
    assert.equal(typeof one, "bigint");
    assert.equal(String(one), r.one);
    const three = bg.random_raw(3) as np.ndarray;
    assert.equal(three.dtype.name, "uint64");
    assert.deepEqual(words(three), r.three);
    assert.deepEqual((g.integers(0, 100, 1, { dtype: "int32" }) as np.ndarray).tolist(), r.half);
    assert.equal(bg.random_raw([2, 2], { output: false }), r.none);
    const grid = bg.random_raw([2, 3]) as np.ndarray;
    assert.deepEqual(grid.shape, [2, 3]);
    assert.deepEqual(words(grid), r.grid);
    // random_raw leaves the buffered 32-bit half for the next 32-bit draw, as NumPy's next_raw.
    assert.deepEqual((g.integers(0, 100, 3, { dtype: "int32" }) as np.ndarray).tolist(), r.after);
    const kids = bg.spawn(2);
    for (const k of kids) assert.ok(k instanceof CLASSES[r.bitgen]);
    assert.deepEqual(
      kids.map((k) => words(k.random_raw(2))),
      r.kids,
    );
  });
}

test("BitGenerator's errors are NumPy's", () => {
  const classes: Record<string, new (...a: never[]) => Error> = {
    ValueError: np.ValueError,
    TypeError: TypeError,
    OverflowError: np.OverflowError,
    NotImplementedError: np.NotImplementedError,
  };
  const set = (bg: { state: unknown }, v: unknown) => () => {
    bg.state = v;
  };
  const calls: Record<string, () => unknown> = {
    "BitGenerator(1)": () => new (np.random.BitGenerator as unknown as new (s: number) => unknown)(1),
    "PCG64.state = 3": set(new np.random.PCG64(1), 3),
    "PCG64.state = SFC64's": set(new np.random.PCG64(1), new np.random.SFC64(1).state),
    "SFC64.state = PCG64's": set(new np.random.SFC64(1), new np.random.PCG64(1).state),
    "MT19937.state = Philox's": set(new np.random.MT19937(1), new np.random.Philox(1).state),
    "PCG64DXSM.state = MT19937's": set(new np.random.PCG64DXSM(1), new np.random.MT19937(1).state),
    "Philox.state = PCG64DXSM's": set(new np.random.Philox(1), new np.random.PCG64DXSM(1).state),
    "random_raw(-1)": () => new np.random.PCG64(1).random_raw(-1),
    "Philox(key=3).spawn(1)": () => new np.random.Philox({ key: 3 }).spawn(1),
    "PCG64DXSM.spawn(-1)": () => new np.random.PCG64DXSM(1).spawn(-1),
  };
  const errs = fx.bitgen_errors as { label: string; error: string; message: string }[];
  assert.equal(errs.length, Object.keys(calls).length);
  for (const e of errs)
    assert.throws(
      calls[e.label]!,
      (err: Error) => err instanceof classes[e.error]! && err.message === e.message,
      `${e.label}: ${e.error}: ${e.message}`,
    );
});

test("seed_seq, the state round trip through the base class, and the C interfaces raise NotImplementedError", () => {
  const ss = new np.random.SeedSequence(5);
  const bg = new np.random.SFC64(ss);
  assert.equal(bg.seed_seq, ss);
  const st = bg.state;
  const a = bg.random_raw(4) as np.ndarray;
  bg.state = st;
  assert.deepEqual(words(bg.random_raw(4)), words(a));
  const m = new np.random.MT19937(1);
  m._legacy_seeding(5);
  assert.equal(m.seed_seq, null);
  assert.throws(() => m.spawn(1), /does not implement spawning/);
  for (const k of ["lock", "ctypes", "cffi", "capsule"] as const)
    assert.throws(
      () => new np.random.PCG64(1)[k],
      (e: Error) => e instanceof np.NotImplementedError,
      k,
    );
  // A Generator refuses anything that is not a BitGenerator.
  assert.throws(() => new np.random.Generator({} as unknown as np.random.PCG64), TypeError);
  assert.throws(() => new np.random.RandomState(new np.random.PCG64(1)), np.NotImplementedError);
});
