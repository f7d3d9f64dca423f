/**
 * NumPy's answers that are not arrays (np.mintypecode, np.typename, np.isdtype with tuples of
 * kinds) and the warnings NumPy issues (All-NaN slice, Mean of empty slice, ...), from
 * test/fixtures/routines_misc.json (test/fixtures/generate_routines_misc.py). Each call's
 * stderr is captured and must hold NumPy's warnings, in order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { resetWarnings } from "../../src/numpy/warnings.js";
import { parseFloatText } from "./conformance_support.js";
import { captured } from "./call_fixture.js";

interface MiscCase {
  name: string;
  fn: string;
  args: unknown[];
  kw: Record<string, unknown>;
  result?: unknown;
  error?: string;
  message?: string;
  warnings: string[];
  errstate?: Record<string, string>;
}
const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/routines_misc.json", import.meta.url), "utf8")) as { cases: MiscCase[] };

/** Decode an argument: arrays, dtypes, tuples (JS arrays), floats. */
function dec(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dec);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("arr" in o) {
      const data = dec(o.arr) as np.NestedArray;
      const a = np.array(data, { dtype: o.dtype as string });
      return Array.isArray(o.arr) && o.arr.length === 0 ? a : a;
    }
    if ("dtype" in o) return np.dtype(o.dtype as string);
    if ("tuple" in o) return (o.tuple as unknown[]).map(dec);
    if ("f" in o) return parseFloatText(o.f as string);
  }
  return v;
}

test("fixture is present", () => assert.ok(fixture.cases.length > 50));

for (const c of fixture.cases) {
  test(c.name, () => {
    resetWarnings();
    const f = (np as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
    const kw = Object.keys(c.kw).length ? [Object.fromEntries(Object.entries(c.kw).map(([k, v]) => [k, dec(v)]))] : [];
    const out = captured(() => {
      const call = () => f(...c.args.map(dec), ...kw);
      const r = c.errstate ? np.errstate(c.errstate as never, call) : call();
      // Deferred work runs (and warns) when read.
      if (r instanceof np.ndarray) r.flatValues();
      if (Array.isArray(r)) for (const x of r) if (x instanceof np.ndarray) x.flatValues();
      return r;
    });
    if (c.error) {
      assert.ok(out.error, `expected ${c.error}: ${c.message}`);
      assert.equal(out.error.name, c.error);
      assert.equal(out.error.message, c.message);
    } else {
      if (out.error) throw out.error;
      if (c.result !== null && c.result !== undefined) assert.deepEqual(out.result, c.result);
    }
    assert.deepEqual(out.lines, c.warnings, "warnings on stderr");
  });
}
