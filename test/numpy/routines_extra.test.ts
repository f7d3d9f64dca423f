/**
 * np.geomspace, np.astype, np.asarray_chkfinite, np.permute_dims, np.packbits / unpackbits,
 * np.binary_repr / base_repr, np.format_float_positional / scientific, np.matvec / vecmat,
 * np.may_share_memory / shares_memory and np.setbufsize against
 * test/fixtures/routines_extra.json (test/fixtures/generate_routines_extra.py).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "tessera";
import { loadCases, replay } from "./call_fixture.js";

type Fn = (...a: unknown[]) => unknown;
const call = np as unknown as Record<string, Fn>;

replay(loadCases("routines_extra"), {
  call: (c, args, kw) => {
    // Memory cases: two views (index strings) of arange(prod(shape)).reshape(shape).
    if (c.fn.endsWith("_memory")) {
      const [shape, ia, ib] = args as [number[], string, string];
      const x = np
        .arange(
          shape.reduce((p, n) => p * n, 1),
          { dtype: "float64" },
        )
        .reshape(shape);
      return call[c.fn](x.get(ia), x.get(ib), ...kw);
    }
    // setbufsize inside errstate, which restores the size (as NumPy's errstate does).
    if (c.fn === "setbufsize") return np.errstate({}, () => call[c.fn](...args, ...kw));
    return call[c.fn](...args, ...kw);
  },
});

test("errstate restores the buffer size", () => {
  const before = np.getbufsize();
  np.errstate({}, () => {
    np.setbufsize(4096);
    assert.equal(np.getbufsize(), 4096);
  });
  assert.equal(np.getbufsize(), before);
});

test("astype with copy=False returns the array itself when the dtype already matches", () => {
  const a = np.arange(3);
  assert.equal(np.astype(a, "int64", { copy: false }), a);
  assert.notEqual(np.astype(a, "int64"), a);
});

test("show_config returns its sections for mode='dicts' and refuses other modes", () => {
  const c = np.show_config("dicts") as Record<string, Record<string, unknown>>;
  assert.ok(c["Build Dependencies"].blas && c["Build Dependencies"].lapack);
  assert.equal(
    (c.Runtime as Record<string, unknown>)["cpu workers"],
    Number(process.env.TESSERA_CPUS ?? (c.Runtime as Record<string, unknown>)["cpu workers"]),
  );
  assert.throws(() => (np.show_config as (m: string) => unknown)("yaml"), {
    name: "AttributeError",
    message: "Invalid `mode`, use one of: stdout, dicts",
  });
});
