import { f16round } from "tessera/core";
import { test, describe, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";

import * as np from "tessera";
import {
  array2stringSource,
  arrayRepr,
  arrayStr,
  formatScalar,
  get_printoptions,
  type Array2StringArgs,
  type PrintOptions,
  type PrintSource,
  type PrintValue,
} from "../../src/numpy/printing/arrayprint.js";
import { set_printoptions } from "../../src/numpy/printing/api.js";

type EncFloat = string;
type EncValue = boolean | string | [EncFloat, EncFloat];

interface Gen {
  kind: "arange" | "frac" | "scaled";
  mod?: number;
  mult?: number;
  scale?: number;
  offset?: number;
}

interface ArrayCase {
  name: string;
  dtype: string;
  shape: number[];
  options: Record<string, unknown>;
  str: string;
  repr: string;
  values?: EncValue[];
  gen?: Gen;
}

interface ScalarCase {
  dtype: string;
  value: EncValue;
  str: string;
}

interface A2SCase {
  name: string;
  dtype: string;
  shape: number[];
  values: EncValue[];
  args: unknown[];
  kwargs: Record<string, unknown>;
  out: string;
}

interface StrReprCase {
  name: string;
  dtype: string;
  shape: number[];
  values: EncValue[];
  args: (number | boolean | null)[];
  options: Record<string, unknown>;
  str: string;
  repr: string;
}

interface ErrorCase {
  name: string;
  fn: string;
  kwargs: Record<string, unknown>;
  error: [string, string] | null;
}

const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/printing.json", import.meta.url), "utf8")) as {
  arrays: ArrayCase[];
  scalars: ScalarCase[];
  array2string: A2SCase[];
  str_repr: StrReprCase[];
  errors: ErrorCase[];
};

/** The formatters generate_printing.py names (FORMATTERS there). */
const FORMATTERS: Record<string, (x: PrintValue) => string> = {
  fixed2: (x) => Number(x).toFixed(2),
  hex: (x) => {
    const b = BigInt(x as number | bigint);
    return b < 0n ? "-0x" + (-b).toString(16) : "0x" + b.toString(16);
  },
  tf: (x) => (x ? "T" : "F"),
  X: () => "X",
  multi: (x) => `${x}\nL`,
  cplx: (x) => {
    const c = x as { re: number; im: number };
    return `${c.re.toFixed(1)}|${c.im.toFixed(1)}`;
  },
  long: (x) => `item${x}`,
};

/** Parse Python's float.hex() output (or nan/inf) exactly. */
function parseFloatHex(s: string): number {
  if (s === "nan") return NaN;
  if (s === "inf") return Infinity;
  if (s === "-inf") return -Infinity;
  const m = /^(-?)0x([0-9a-f])\.?([0-9a-f]*)p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`bad float hex ${s}`);
  const frac = m[3]!;
  const mant = BigInt("0x" + m[2]! + frac);
  let e = Number(m[4]) - 4 * frac.length;
  let v = Number(mant);
  while (e < -1000) {
    v *= 2 ** -1000;
    e += 1000;
  }
  while (e > 1000) {
    v *= 2 ** 1000;
    e -= 1000;
  }
  v *= 2 ** e;
  return m[1] === "-" ? -v : v;
}

const roundHalf = f16round;

function castFloat(dtype: string, x: number): number {
  if (dtype === "float32" || dtype === "complex64") return Math.fround(x);
  if (dtype === "float16") return roundHalf(x);
  return x;
}

function decode(dtype: string, v: EncValue): PrintValue {
  if (dtype === "bool") return v as boolean;
  if (dtype.startsWith("complex")) {
    const [re, im] = v as [string, string];
    return { re: parseFloatHex(re), im: parseFloatHex(im) };
  }
  if (dtype.startsWith("float")) return parseFloatHex(v as string);
  if (dtype === "int64" || dtype === "uint64") return BigInt(v as string);
  return Number(v as string);
}

/** Same formulas as gen_values() in generate_printing.py. */
function generator(dtype: string, gen: Gen): (i: number) => PrintValue {
  const base = (i: number): number => {
    if (gen.kind === "arange") return gen.mod !== undefined ? i % gen.mod : i;
    const f = (i * gen.mult!) % 1;
    if (gen.kind === "frac") return f;
    return f * gen.scale! + gen.offset!;
  };
  if (dtype === "bool") return (i) => i % 3 === 0;
  if (dtype.startsWith("complex")) {
    return (i) => ({ re: castFloat(dtype, base(i)), im: castFloat(dtype, 0 - i) });
  }
  if (dtype.startsWith("float")) return (i) => castFloat(dtype, base(i));
  if (dtype === "int64" || dtype === "uint64") return (i) => BigInt(base(i));
  return (i) => base(i);
}

function makeSource(c: { dtype: string; shape: number[]; values?: EncValue[]; gen?: Gen }): {
  src: PrintSource;
  calls: () => number;
} {
  let count = 0;
  let get: (i: number) => PrintValue;
  if (c.values) {
    const vals = c.values.map((v) => decode(c.dtype, v));
    get = (i) => {
      if (i < 0 || i >= vals.length) throw new RangeError(`index ${i} out of range`);
      return vals[i]!;
    };
  } else {
    get = generator(c.dtype, c.gen!);
  }
  const size = c.shape.reduce((a, b) => a * b, 1);
  return {
    src: {
      shape: c.shape,
      dtype: c.dtype,
      get: (i) => {
        if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`index ${i} out of range`);
        count++;
        return get(i);
      },
    },
    calls: () => count,
  };
}

function decodeOptions(o: Record<string, unknown>): Partial<PrintOptions> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "formatter" && v) {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, string>).map(([key, name]) => [key, FORMATTERS[name]]));
    } else out[k] = v === "maxsize" ? Infinity : v === "nan" ? NaN : v;
  }
  return out as Partial<PrintOptions>;
}

const defaults = get_printoptions();

describe("arrayprint: str/repr match NumPy", () => {
  afterEach(() => set_printoptions(defaults));

  for (const c of fixture.arrays) {
    test(c.name, () => {
      set_printoptions(decodeOptions(c.options));
      const { src, calls } = makeSource(c);
      assert.equal(arrayStr(src), c.str, "str");
      assert.equal(arrayRepr(src), c.repr, "repr");
      if (c.gen && c.shape.reduce((a, b) => a * b, 1) > get_printoptions().threshold) {
        // summarised arrays only read the corners that are printed
        const opts = get_printoptions();
        const perAxis = c.shape.map((n) => Math.min(n, 2 * opts.edgeitems));
        const printed = perAxis.reduce((a, b) => a * b, 1);
        assert.ok(calls() <= 2 * printed, `read ${calls()} elements, printed ${printed}`);
      }
    });
  }
});

describe("formatScalar matches str() of NumPy scalars", () => {
  for (const c of fixture.scalars) {
    test(`${c.dtype} ${JSON.stringify(c.value)}`, () => {
      assert.equal(formatScalar(decode(c.dtype, c.value), c.dtype), c.str);
    });
  }
});

const A2S_POSITIONAL = ["max_line_width", "precision", "suppress_small", "separator", "prefix"];

/** The fixture's values as an ndarray (for the public functions). */
function toArray(c: { dtype: string; shape: number[]; values: EncValue[] }): np.ndarray {
  const vals = c.values.map((v) => decode(c.dtype, v));
  return np.array(vals as never, { dtype: c.dtype }).reshape(c.shape);
}

describe("array2string with explicit arguments", () => {
  afterEach(() => set_printoptions(defaults));
  for (const c of fixture.array2string) {
    test(c.name, () => {
      const { src } = makeSource(c);
      const kw = decodeOptions(c.kwargs) as Record<string, unknown>;
      const args: Record<string, unknown> = { ...kw };
      c.args.forEach((v, i) => {
        args[A2S_POSITIONAL[i]!] = v;
      });
      assert.equal(array2stringSource(src, args as Array2StringArgs), c.out, "engine");
      // the public function, positionals and an options object, on an ndarray
      assert.equal((np.array2string as unknown as (...a: unknown[]) => string)(toArray(c), ...c.args, kw), c.out, "np.array2string");
    });
  }
});

describe("array_str / array_repr honour their arguments", () => {
  afterEach(() => set_printoptions(defaults));
  for (const c of fixture.str_repr) {
    test(c.name, () => {
      set_printoptions(decodeOptions(c.options));
      const a = toArray(c);
      assert.equal((np.array_str as unknown as (...a: unknown[]) => string)(a, ...c.args), c.str, "array_str");
      assert.equal((np.array_repr as unknown as (...a: unknown[]) => string)(a, ...c.args), c.repr, "array_repr");
      const named = Object.fromEntries(c.args.map((v, i) => [A2S_POSITIONAL[i]!, v]));
      assert.equal(np.array_str(a, named), c.str, "array_str by name");
      assert.equal(np.array_repr(a, named), c.repr, "array_repr by name");
    });
  }
});

describe("print option errors are NumPy's", () => {
  afterEach(() => set_printoptions(defaults));
  for (const c of fixture.errors) {
    test(c.name, () => {
      const kw = decodeOptions(c.kwargs);
      const run = (): unknown => {
        switch (c.fn) {
          case "set_printoptions":
            return np.set_printoptions(kw);
          case "repr_with":
            return np.printoptions(kw, () => np.array_repr(np.array([1.5, 2.5])));
          case "array2string":
            return np.array2string(np.array([0.5, 1.5, 2.5]), kw);
          case "array_repr":
            return np.array_repr(np.arange(3), kw);
          default:
            throw new Error(c.fn);
        }
      };
      assert.ok(c.error);
      assert.throws(run, { name: c.error![0], message: c.error![1] });
    });
  }
});

describe("print options state", () => {
  afterEach(() => set_printoptions(defaults));

  test("defaults match NumPy (keys in NumPy's order)", () => {
    assert.deepEqual(
      Object.entries(np.get_printoptions()),
      Object.entries({
        edgeitems: 3,
        threshold: 1000,
        floatmode: "maxprec",
        precision: 8,
        suppress: false,
        linewidth: 75,
        nanstr: "nan",
        infstr: "inf",
        sign: "-",
        formatter: null,
        legacy: false,
        override_repr: null,
      }),
    );
  });

  test("set_printoptions is partial and get returns a copy", () => {
    set_printoptions({ precision: 3 });
    const o = get_printoptions();
    assert.equal(o.precision, 3);
    assert.equal(o.linewidth, 75);
    o.precision = 10;
    assert.equal(get_printoptions().precision, 3);
  });

  test("invalid options are rejected", () => {
    assert.throws(() => set_printoptions({ floatmode: "bogus" as PrintOptions["floatmode"] }), { name: "ValueError" });
    assert.throws(() => set_printoptions({ sign: "x" as PrintOptions["sign"] }), { name: "ValueError" });
    assert.throws(() => set_printoptions({ precision: 1.5 }), { name: "TypeError" });
    // NumPy only warns for an unknown legacy mode (and ignores it); tessera refuses it
    assert.throws(() => set_printoptions({ legacy: "1.0" as never }), {
      name: "ValueError",
      message: "legacy printing option can currently only be '1.13', '1.21', '1.25', '2.1', '2.2' or `False`",
    });
    // as in NumPy, a negative precision is refused when floats are printed
    set_printoptions({ precision: -1 });
    assert.throws(() => np.array_repr(np.array([1.5])), { name: "ValueError", message: "precision must be >= 0" });
    assert.equal(np.array_repr(np.array([1, 2])), "array([1, 2])");
  });

  test("set_printoptions takes NumPy's positionals; formatter and override_repr reset", () => {
    np.set_printoptions(3, null, null, 40);
    assert.equal(np.get_printoptions().precision, 3);
    assert.equal(np.get_printoptions().linewidth, 40);
    const f = { float: (x: PrintValue) => `<${x}>` };
    np.set_printoptions(null, null, null, null, null, null, null, f);
    assert.equal(np.get_printoptions().formatter, f);
    assert.equal(String(np.array([0.5])), "[<0.5>]");
    np.set_printoptions({ precision: 4 });
    assert.equal(np.get_printoptions().formatter, null);
    assert.equal(np.get_printoptions().linewidth, 40);
    np.set_printoptions({ override_repr: (a: np.ndarray) => `<${a.size}>` });
    assert.equal(np.array_repr(np.arange(3)), "<3>");
    assert.equal(inspect(np.arange(4)), "<4>");
    np.set_printoptions({ legacy: "1.13", sign: "+" });
    assert.equal(np.get_printoptions().sign, "-"); // NumPy forces '-' in 1.13 mode
    assert.equal(np.get_printoptions().override_repr, null);
    assert.throws(() => np.set_printoptions({ precison: 3 }), {
      name: "TypeError",
      message: "set_printoptions() got an unexpected keyword argument 'precison'",
    });
  });

  test("printoptions runs a function with options set and restores them", () => {
    const before = np.get_printoptions();
    const out = np.printoptions({ precision: 2, suppress: true }, (o) => {
      assert.equal(o.precision, 2);
      assert.equal(np.get_printoptions().suppress, true);
      return String(np.array([1 / 3, 1e-9]));
    });
    assert.equal(out, "[0.33 0.  ]");
    assert.deepEqual(np.get_printoptions(), before);
    assert.throws(
      () =>
        np.printoptions({ precision: 1 }, () => {
          throw new RangeError("inside");
        }),
      RangeError,
    );
    assert.deepEqual(np.get_printoptions(), before);
    assert.throws(() => np.printoptions({ floatmode: "x" }, () => 1), { name: "ValueError" });
    assert.deepEqual(np.get_printoptions(), before);
  });

  test("printoptions keeps the options until an async function settles", async () => {
    const p = np.printoptions({ precision: 1 }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return String(np.array([0.25, 1]));
    });
    assert.equal(np.get_printoptions().precision, 1);
    assert.equal(await p, "[0.2 1. ]");
    assert.equal(np.get_printoptions().precision, 8);
  });
});
