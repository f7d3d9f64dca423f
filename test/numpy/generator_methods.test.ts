// Generator's sampling, permutations and distributions against NumPy
// (test/fixtures/random_generator.json): call sequences on default_rng(seed) mixed with the
// basic draws, every result compared and the PCG64 state checked after each sequence.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";

type Call = [string, unknown[], Record<string, unknown>];
type Result = { shape?: number[]; dtype?: string; values?: (number | string | boolean)[]; scalar?: boolean; bytes?: number[] };
type Case = {
  seed: number | number[];
  label: string;
  bitgen: "PCG64" | "MT19937" | "SFC64" | "PCG64DXSM" | "Philox";
  part: string;
  calls: { call: Call; result: Result }[];
  state: { state: string; has_uint32: number; uinteger: number; pos: number; key_head: number[]; key_tail: number[]; words: string[] };
};
const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/random_generator.json", import.meta.url), "utf8"));

/**
 * Integer results, uniform floats and the ziggurat normal equal NumPy's bit for bit; draws
 * through log/exp/pow/cos are compared to a relative 1e-13 (V8's Math functions may differ
 * from the C library's in the last ulp).
 */
const EXACT = new Set([
  "choice",
  "permutation",
  "shuffle",
  "permuted",
  "bytes",
  "integers",
  "random",
  "uniform",
  "normal",
  "standard_normal",
  "triangular",
]);
const RTOL = 1e-13;

const seedOf = (s: number | number[]) => (Array.isArray(s) ? s.map(BigInt) : BigInt(s));

function callOn(g: np.random.Generator, [name, args, kwargs]: Call): unknown {
  const fn = (g as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
  if (name === "shuffle") {
    const x = np.array(args[0] as number[]);
    fn.call(g, x, kwargs);
    return x;
  }
  if (name === "permuted") return fn.call(g, np.array(args[0] as number[]), kwargs);
  return Object.keys(kwargs).length ? fn.call(g, ...args, kwargs) : fn.call(g, ...args);
}

function check(where: string, name: string, got: unknown, want: Result): void {
  if (want.bytes) {
    assert.deepEqual(Array.from(got as Uint8Array), want.bytes, where);
    return;
  }
  if (want.scalar) assert.equal(typeof got, "number", `${where}: a number when size is None`);
  else {
    assert.ok(got instanceof np.ndarray, `${where}: an array`);
    assert.deepEqual(got.shape, want.shape, `${where}: shape`);
    assert.equal(got.dtype.name, want.dtype, `${where}: dtype`);
  }
  const vals = got instanceof np.ndarray ? (got.flatValues() as (number | bigint | boolean)[]) : [got as number];
  const exp = want.values!;
  assert.equal(vals.length, exp.length, `${where}: count`);
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i]!,
      v = vals[i]!;
    if (typeof e === "string") assert.equal(String(v), e, `${where}[${i}]`);
    else if (typeof e === "boolean") assert.equal(Boolean(v), e, `${where}[${i}]`);
    else if (EXACT.has(name)) assert.ok(Object.is(v, e), `${where}[${i}]: ${v} !== ${e}`);
    else {
      const err = Math.abs((v as number) - e) / Math.max(Math.abs(e), Number.MIN_VALUE);
      assert.ok(v === e || err <= RTOL, `${where}[${i}]: ${v} vs ${e} (relative ${err})`);
    }
  }
}

for (const c of fx.cases as Case[]) {
  test(`Generator(${c.bitgen}(${c.label})) ${c.part} sequence equals NumPy's`, () => {
    const seed = seedOf(c.seed);
    const bitgens = { MT19937: np.random.MT19937, SFC64: np.random.SFC64, PCG64DXSM: np.random.PCG64DXSM, Philox: np.random.Philox };
    const g = c.bitgen === "PCG64" ? np.random.default_rng(seed) : new np.random.Generator(new bitgens[c.bitgen](seed));
    c.calls.forEach(({ call, result }, k) => check(`${c.label} #${k} ${call[0]}(${JSON.stringify(call[1])})`, call[0], callOn(g, call), result));
    if (c.bitgen === "MT19937") {
      const st = g.bit_generator.state as np.random.MT19937StateDict;
      const key = st.state.key.tolist() as number[];
      assert.equal(st.state.pos, c.state.pos, "pos");
      assert.deepEqual(key.slice(0, 4), c.state.key_head);
      assert.deepEqual(key.slice(-4), c.state.key_tail);
      return;
    }
    if (c.bitgen === "Philox") {
      const st = g.bit_generator.state as np.random.PhiloxState;
      const words = [...(st.state.counter.tolist({ bigint: true }) as bigint[]), ...(st.buffer.tolist({ bigint: true }) as bigint[])].map(String);
      assert.deepEqual(words, c.state.words);
      assert.equal(st.buffer_pos, c.state.pos, "buffer_pos");
      assert.equal(st.has_uint32, c.state.has_uint32, "has_uint32");
      assert.equal(st.uinteger, c.state.uinteger, "uinteger");
      return;
    }
    if (c.bitgen === "SFC64") {
      const st = g.bit_generator.state as np.random.SFC64State;
      assert.deepEqual((st.state.state.tolist({ bigint: true }) as bigint[]).map(String), c.state.words);
      assert.equal(st.has_uint32, c.state.has_uint32, "has_uint32");
      assert.equal(st.uinteger, c.state.uinteger, "uinteger");
      return;
    }
    const st = g.bit_generator.state as np.random.PCG64State | np.random.PCG64DXSMState;
    assert.equal(st.bit_generator, c.bitgen);
    assert.equal(String(st.state.state), c.state.state, "PCG64 state");
    assert.equal(st.has_uint32, c.state.has_uint32, "has_uint32");
    assert.equal(st.uinteger, c.state.uinteger, "uinteger");
  });
}

test("PCG64 objects: advance, and a state dict written back", () => {
  const b = fx.bitgens;
  const p = new np.random.PCG64(b.advance.seed).advance(b.advance.delta);
  assert.deepEqual((new np.random.Generator(p).random(3) as np.ndarray).tolist(), b.advance.random);
  const q = new np.random.PCG64(0);
  q.state = { bit_generator: "PCG64", state: { state: BigInt(b.set_state.state), inc: BigInt(b.set_state.inc) }, has_uint32: 1, uinteger: 777 };
  assert.deepEqual((new np.random.Generator(q).integers(0, 2 ** 31, 4, { dtype: "uint32" }) as np.ndarray).tolist(), b.set_state.uint32);
  assert.equal(np.random.default_rng(q).bit_generator, q);
  const d = new np.random.PCG64DXSM(b.advance.seed).advance(b.advance.delta);
  assert.deepEqual((new np.random.Generator(d).random(3) as np.ndarray).tolist(), b.dxsm_advance);
  // Philox from an explicit key and a counter that carries across words.
  const ph = new np.random.Philox(null, 2n ** 64n - 1n, [5n, 2n ** 62n + 3n]);
  assert.deepEqual((new np.random.Generator(ph).random(6) as np.ndarray).tolist(), b.philox_key);
});

test("spawn gives NumPy's child streams and leaves the parent's", () => {
  const sp = fx.spawn;
  const g = np.random.default_rng(sp.seed);
  const kids = g.spawn(3);
  assert.deepEqual(
    kids.map((k) => (k.random(3) as np.ndarray).tolist()),
    sp.children,
  );
  assert.deepEqual(
    g.spawn(2).map((k) => (k.random(2) as np.ndarray).tolist()),
    sp.more,
  );
  assert.deepEqual((g.random(3) as np.ndarray).tolist(), sp.parent);
});

test("bad arguments raise NumPy's error class and message, and leave the state as NumPy's", () => {
  const classes: Record<string, new (...a: never[]) => Error> = {
    ValueError: np.ValueError,
    TypeError: TypeError,
    OverflowError: np.OverflowError,
    IndexError: np.IndexError,
    AxisError: np.AxisError,
    MemoryError: np.MemoryError,
  };
  for (const e of fx.errors as { call: Call; error: string; message: string; state: string }[]) {
    const g = np.random.default_rng(0);
    assert.throws(
      () => callOn(g, e.call),
      (err: Error) => err instanceof classes[e.error]! && err.message === e.message,
      `${e.call[0]}(${JSON.stringify(e.call[1])}, ${JSON.stringify(e.call[2])}) should raise ${e.error}: ${e.message}`,
    );
    assert.equal(String((g.bit_generator.state as np.random.PCG64State).state.state), e.state, `${e.call[0]}: state as NumPy's`);
  }
});

test("permuted with out= fills it; shuffle works on JS arrays", () => {
  const a = np.random.default_rng(3);
  const b = np.random.default_rng(3);
  const out = np.zeros([2, 3], { dtype: "int64" });
  const r = a.permuted(np.arange(6).reshape(2, 3), { axis: 1, out });
  assert.equal(r, out);
  assert.deepEqual(out.tolist(), (b.permuted(np.arange(6).reshape(2, 3), { axis: 1 }) as np.ndarray).tolist());
  const js = [0, 1, 2, 3, 4];
  np.random.default_rng(4).shuffle(js);
  const arr = np.arange(5);
  np.random.default_rng(4).shuffle(arr);
  assert.deepEqual(js, arr.tolist());
});
