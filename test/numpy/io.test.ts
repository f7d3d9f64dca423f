/**
 * np.save / np.load / np.savez against files NumPy wrote (test/fixtures/npy, from
 * generate_npy.py): Tessera's .npy bytes must equal NumPy's, and NumPy's files (C and
 * Fortran order, big-endian, stored and deflated .npz) must load with the same values.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as np from "tessera";

const DIR = new URL("../../../test/fixtures/npy/", import.meta.url).pathname;
const DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float16", "float32", "float64", "complex64", "complex128"] as const;
const SHAPES: Record<string, number[]> = { s0: [], s1: [5], s2: [3, 4], s3: [2, 1, 3] };
const tmp = mkdtempSync(path.join(tmpdir(), "tessera-io-"));

/** The arrays generate_npy.py writes: arange(n) - 2 (bool: odd elements; complex: + i·reversed). */
function make(dt: string, shape: number[]): np.ndarray {
  const n = shape.reduce((p, x) => p * x, 1);
  const base = np.arange(n);
  let a: np.ndarray;
  if (dt === "bool") a = base.mod(2).eq(1);
  else if (dt.startsWith("complex")) a = base.sub(2).astype(dt).add(np.arange(n - 1, -1, -1).astype(dt).mul(np.array([{ re: 0, im: 1 }]).astype(dt)));
  else if (/^(int|float)/.test(dt)) a = base.sub(2).astype(dt);
  else a = base.astype(dt);
  return a.reshape(shape);
}

for (const dt of DTYPES) {
  test(`save writes NumPy's bytes and load reads them back: ${dt}`, () => {
    for (const [key, shape] of Object.entries(SHAPES)) {
      const want = readFileSync(path.join(DIR, `${dt}_${key}.npy`));
      const file = path.join(tmp, `${dt}_${key}`);
      np.save(file, make(dt, shape));
      assert.deepEqual(readFileSync(`${file}.npy`), want, `${dt} ${key}`);
      const back = np.load(path.join(DIR, `${dt}_${key}.npy`)) as np.ndarray;
      assert.equal(back.dtype.name, dt);
      assert.deepEqual(back.shape, shape);
      assert.deepEqual(back.tolist(), make(dt, shape).tolist());
    }
  });
}

test("Fortran-order and big-endian files load as NumPy reads them", () => {
  const f = np.load(path.join(DIR, "fortran_f8.npy")) as np.ndarray;
  assert.deepEqual(f.tolist(), make("float64", [3, 4]).tolist());
  const b = np.load(path.join(DIR, "bigendian_i4.npy")) as np.ndarray;
  assert.equal(b.dtype.name, "int32");
  assert.deepEqual(b.tolist(), [[-2, -1, 0], [1, 2, 3]]);
});

test("npz: NumPy's stored and deflated archives, and our own round trip", () => {
  const s = np.load(path.join(DIR, "stored.npz")) as Record<string, np.ndarray>;
  assert.deepEqual(Object.keys(s).sort(), ["arr_0", "b"]);
  assert.deepEqual(s.arr_0.tolist(), make("float64", [3, 4]).tolist());
  assert.deepEqual(s.b.tolist(), make("bool", [5]).tolist());
  const d = np.load(path.join(DIR, "deflated.npz")) as Record<string, np.ndarray>;
  assert.deepEqual(d.x.tolist(), make("int64", [2, 1, 3]).tolist());
  assert.deepEqual(d.y.tolist(), make("complex64", [5]).tolist());
  for (const save of [np.savez, np.savez_compressed]) {
    const file = path.join(tmp, `mine_${save.name}`);
    save(file, np.arange(3), { w: np.eye(2).astype("float32") });
    const r = np.load(`${file}.npz`) as Record<string, np.ndarray>;
    assert.deepEqual(r.arr_0.tolist(), [0, 1, 2]);
    assert.equal(r.w.dtype.name, "float32");
    assert.deepEqual(r.w.tolist(), [[1, 0], [0, 1]]);
  }
});

test("bad files raise ValueError", () => {
  const file = path.join(tmp, "not.npy");
  np.save(path.join(tmp, "ok"), np.arange(3));
  const bytes = readFileSync(path.join(tmp, "ok.npy"));
  for (const [bad, msg] of [[Buffer.from("hello world"), /not a \.npy file/], [bytes.subarray(0, bytes.length - 4), /truncated/]] as const) {
    writeFileSync(file, bad);
    assert.throws(() => np.load(file), (e: Error) => e.name === "ValueError" && msg.test(e.message));
  }
});
