import { f16round } from "tessera/core";
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  array2string,
  arrayRepr,
  arrayStr,
  formatScalar,
  get_printoptions,
  set_printoptions,
  type PrintOptions,
  type PrintSource,
  type PrintValue,
} from '../../src/numpy/printing/arrayprint.js';

type EncFloat = string;
type EncValue = boolean | string | [EncFloat, EncFloat];

interface Gen {
  kind: 'arange' | 'frac' | 'scaled';
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
  kwargs: Record<string, unknown>;
  out: string;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/printing.json', import.meta.url), 'utf8'),
) as { arrays: ArrayCase[]; scalars: ScalarCase[]; array2string: A2SCase[] };

/** Parse Python's float.hex() output (or nan/inf) exactly. */
function parseFloatHex(s: string): number {
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const m = /^(-?)0x([0-9a-f])\.?([0-9a-f]*)p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`bad float hex ${s}`);
  const frac = m[3]!;
  const mant = BigInt('0x' + m[2]! + frac);
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
  return m[1] === '-' ? -v : v;
}

const roundHalf = f16round;

function castFloat(dtype: string, x: number): number {
  if (dtype === 'float32' || dtype === 'complex64') return Math.fround(x);
  if (dtype === 'float16') return roundHalf(x);
  return x;
}

function decode(dtype: string, v: EncValue): PrintValue {
  if (dtype === 'bool') return v as boolean;
  if (dtype.startsWith('complex')) {
    const [re, im] = v as [string, string];
    return { re: parseFloatHex(re), im: parseFloatHex(im) };
  }
  if (dtype.startsWith('float')) return parseFloatHex(v as string);
  if (dtype === 'int64' || dtype === 'uint64') return BigInt(v as string);
  return Number(v as string);
}

/** Same formulas as gen_values() in generate_printing.py. */
function generator(dtype: string, gen: Gen): (i: number) => PrintValue {
  const base = (i: number): number => {
    if (gen.kind === 'arange') return gen.mod !== undefined ? i % gen.mod : i;
    const f = (i * gen.mult!) % 1;
    if (gen.kind === 'frac') return f;
    return f * gen.scale! + gen.offset!;
  };
  if (dtype === 'bool') return (i) => i % 3 === 0;
  if (dtype.startsWith('complex')) {
    return (i) => ({ re: castFloat(dtype, base(i)), im: castFloat(dtype, 0 - i) });
  }
  if (dtype.startsWith('float')) return (i) => castFloat(dtype, base(i));
  if (dtype === 'int64' || dtype === 'uint64') return (i) => BigInt(base(i));
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
  for (const [k, v] of Object.entries(o)) out[k] = v === 'maxsize' ? Infinity : v;
  return out as Partial<PrintOptions>;
}

const defaults = get_printoptions();

describe('arrayprint: str/repr match NumPy', () => {
  afterEach(() => set_printoptions(defaults));

  for (const c of fixture.arrays) {
    test(c.name, () => {
      set_printoptions(decodeOptions(c.options));
      const { src, calls } = makeSource(c);
      assert.equal(arrayStr(src), c.str, 'str');
      assert.equal(arrayRepr(src), c.repr, 'repr');
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

describe('formatScalar matches str() of NumPy scalars', () => {
  for (const c of fixture.scalars) {
    test(`${c.dtype} ${JSON.stringify(c.value)}`, () => {
      assert.equal(formatScalar(decode(c.dtype, c.value), c.dtype), c.str);
    });
  }
});

describe('array2string with explicit arguments', () => {
  for (const c of fixture.array2string) {
    test(c.name, () => {
      const { src } = makeSource(c);
      const kw = c.kwargs;
      const opts: Parameters<typeof array2string>[1] = {};
      if (typeof kw.separator === 'string') opts.separator = kw.separator;
      if (typeof kw.prefix === 'string') opts.prefix = kw.prefix;
      if (typeof kw.suffix === 'string') opts.suffix = kw.suffix;
      if (typeof kw.precision === 'number') opts.precision = kw.precision;
      if (typeof kw.suppress_small === 'boolean') opts.suppress = kw.suppress_small;
      if (typeof kw.max_line_width === 'number') opts.linewidth = kw.max_line_width;
      assert.equal(array2string(src, opts), c.out);
    });
  }
});

describe('print options state', () => {
  afterEach(() => set_printoptions(defaults));

  test('defaults match NumPy', () => {
    assert.deepEqual(get_printoptions(), {
      precision: 8, threshold: 1000, edgeitems: 3, linewidth: 75,
      suppress: false, sign: '-', floatmode: 'maxprec',
    });
  });

  test('set_printoptions is partial and get returns a copy', () => {
    set_printoptions({ precision: 3 });
    const o = get_printoptions();
    assert.equal(o.precision, 3);
    assert.equal(o.linewidth, 75);
    o.precision = 10;
    assert.equal(get_printoptions().precision, 3);
  });

  test('invalid options are rejected', () => {
    assert.throws(() => set_printoptions({ floatmode: 'bogus' as PrintOptions['floatmode'] }));
    assert.throws(() => set_printoptions({ sign: 'x' as PrintOptions['sign'] }));
    assert.throws(() => set_printoptions({ precision: -1 }));
    assert.throws(() => set_printoptions({ precision: 1.5 }));
  });
});
