/**
 * np.save / np.load / np.savez against files NumPy wrote (test/fixtures/npy, from
 * generate_npy.py): Tessera's .npy bytes must equal NumPy's, and NumPy's files (C and
 * Fortran order, big-endian, stored and deflated .npz) must load with the same values.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import path from "node:path";
import * as np from "tessera";
import { ioHooks } from "../../src/numpy/io.js";

const DIR = new URL("../../../test/fixtures/npy/", import.meta.url).pathname;
const DTYPES = [
  "bool",
  "int8",
  "uint8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "uint64",
  "float16",
  "float32",
  "float64",
  "complex64",
  "complex128",
] as const;
const SHAPES: Record<string, number[]> = { s0: [], s1: [5], s2: [3, 4], s3: [2, 1, 3] };
const tmp = mkdtempSync(path.join(tmpdir(), "tessera-io-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The arrays generate_npy.py writes: arange(n) - 2 (bool: odd elements; complex: + i·reversed). */
function make(dt: string, shape: number[]): np.ndarray {
  const n = shape.reduce((p, x) => p * x, 1);
  const base = np.arange(n);
  let a: np.ndarray;
  if (dt === "bool") a = base.mod(2).eq(1);
  else if (dt.startsWith("complex"))
    a = base
      .sub(2)
      .astype(dt)
      .add(
        np
          .arange(n - 1, -1, -1)
          .astype(dt)
          .mul(np.array([{ re: 0, im: 1 }]).astype(dt)),
      );
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
  assert.deepEqual(b.tolist(), [
    [-2, -1, 0],
    [1, 2, 3],
  ]);
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
    assert.deepEqual(r.w.tolist(), [
      [1, 0],
      [0, 1],
    ]);
  }
});

test("bad files raise ValueError", () => {
  const file = path.join(tmp, "not.npy");
  np.save(path.join(tmp, "ok"), np.arange(3));
  const bytes = readFileSync(path.join(tmp, "ok.npy"));
  for (const [bad, msg] of [
    [Buffer.from("hello world"), /contains pickled \(object\) data/],
    [bytes.subarray(0, bytes.length - 4), /^Failed to read all data for array/],
  ] as const) {
    writeFileSync(file, bad);
    assert.throws(
      () => np.load(file),
      (e: Error) => e.name === "ValueError" && msg.test(e.message),
    );
  }
});

// ---- robustness: crafted files, streaming, atomic writes --------------------------------

interface PyError {
  type: string;
  mro: string[];
  message: string;
}
interface Outcome {
  ok?: { dtype: string; shape: number[]; values?: unknown };
  error?: PyError;
}
interface Crafted {
  file: string;
  what: string;
  message: boolean;
  error?: PyError;
  ok?: Outcome["ok"];
  npz?: Record<string, Outcome>;
  tessera?: { type: string; why: string; key?: string };
}
const CRAFTED_DIR = new URL("../../../test/fixtures/npy_crafted/", import.meta.url).pathname;
const crafted = JSON.parse(readFileSync(new URL("../../../test/fixtures/npy_crafted.json", import.meta.url), "utf8")) as { cases: Crafted[] };

/** What NumPy did (or the class Tessera deliberately raises instead), against what Tessera did. */
let messagesCompared = 0;
function compareOutcome(c: Crafted, key: string | null, want: Outcome, run: () => unknown): "ok" | "rejected" {
  const label = `${c.file}${key === null ? "" : `[${key}]`} (${c.what})`;
  const note = c.tessera && (key === null || c.tessera.key === undefined || c.tessera.key === key) ? c.tessera : null;
  let got: unknown,
    err: unknown = null;
  try {
    got = run();
  } catch (e) {
    err = e;
  }
  if (want.error || note) {
    assert.ok(err instanceof Error, `${label}: expected ${note?.type ?? want.error!.type}, loaded ${String(got)}`);
    const allowed = note ? [note.type] : want.error!.mro;
    assert.ok(
      allowed.includes(err.name),
      `${label}: ${err.name}: ${err.message}; NumPy: ${want.error?.type}: ${want.error?.message} (allowed ${allowed})`,
    );
    if (want.error && !note && c.message && err.name === want.error.type) {
      assert.equal(err.message, want.error.message, label);
      messagesCompared++;
    }
    return "rejected";
  }
  if (err) throw new Error(`${label}: NumPy loads it, Tessera raised ${(err as Error).name}: ${(err as Error).message}`);
  const a = got as np.ndarray;
  assert.equal(a.dtype.name, want.ok!.dtype, label);
  assert.deepEqual(a.shape, want.ok!.shape, label);
  if (want.ok!.values !== undefined) assert.deepEqual(a.tolist(), want.ok!.values, label);
  return "ok";
}

test("crafted and malformed files: NumPy's outcome, class and message (fixtures from generate_npy_crafted.py)", (t) => {
  let tried = 0,
    numpyRejects = 0,
    rejected = 0;
  for (const c of crafted.cases) {
    tried++;
    const file = path.join(CRAFTED_DIR, c.file);
    if (!c.npz) {
      if (c.error) numpyRejects++;
      if (compareOutcome(c, null, c, () => np.load(file)) === "rejected") rejected++;
      continue;
    }
    const z = np.load(file) as Record<string, np.ndarray>;
    assert.equal(Object.getPrototypeOf(z), null, c.file);
    assert.deepEqual(Object.keys(z), Object.keys(c.npz), `${c.file}: keys`);
    let any = false,
      numpyAny = false;
    for (const [k, want] of Object.entries(c.npz)) {
      if (want.error) numpyAny = true;
      if (compareOutcome(c, k, want, () => z[k]) === "rejected") any = true;
    }
    if (numpyAny) numpyRejects++;
    if (any) rejected++;
  }
  t.diagnostic(
    `${tried} crafted files: NumPy rejects ${numpyRejects}, Tessera rejects ${rejected}, each with the expected class; ${messagesCompared} messages equal NumPy's`,
  );
  assert.ok(tried >= 40);
});

test("npy headers are read as NumPy reads them: versions, keys, shapes, header lengths", () => {
  const load = (f: string) => np.load(path.join(CRAFTED_DIR, f)) as np.ndarray;
  assert.throws(() => load("version_9_0.npy"), { name: "ValueError", message: "we only support format version (1,0), (2,0), and (3,0), not (9, 0)" });
  assert.deepEqual(load("version_2_0.npy").shape, [3, 4]);
  assert.deepEqual(load("version_3_0.npy").shape, [3, 4]);
  // A repeated key: Python's dict keeps the last value, so NumPy reads int64.
  assert.equal(load("duplicate_key.npy").dtype.name, "int64");
  assert.throws(() => load("shape_comma.npy"), { name: "ValueError", message: /^Cannot parse header: / });
  assert.throws(() => load("missing_key.npy"), { name: "ValueError", message: "Header does not contain the correct keys: ['descr', 'shape']" });
  assert.throws(() => load("shape_negative.npy"), {
    name: "ValueError",
    message: /^Failed to read all data for array\. Expected \(-3, 4\) = -12 elements/,
  });
  assert.throws(() => load("shape_float.npy"), { name: "ValueError", message: "shape is not valid: (3.0, 4)" });
  assert.throws(() => load("fortran_int.npy"), { name: "ValueError", message: "fortran_order is not a valid bool: 1" });
  assert.throws(() => load("descr_bad.npy"), { name: "ValueError", message: "descr is not a valid dtype descriptor: '<q9'" });
  // A header length 8 bytes off either way never reads data from a shifted offset.
  assert.throws(() => load("hlen_plus8.npy"), { name: "ValueError", message: /^Cannot parse header: / });
  assert.throws(() => load("hlen_minus8.npy"), { name: "ValueError", message: /does not end with a newline/ });
  assert.throws(() => load("data_long.npy"), { name: "ValueError", message: "the .npy file has 8 bytes after the data of its (3, 4) <f8 array" });
});

test("npz: each entry's CRC-32 is checked", () => {
  const z = np.load(path.join(CRAFTED_DIR, "crc_data_stored.npz")) as Record<string, np.ndarray>;
  assert.throws(() => z.a, { name: "BadZipFile", message: "Bad CRC-32 for file 'a.npy'" });
  const d = np.load(path.join(CRAFTED_DIR, "crc_data_deflated.npz")) as Record<string, np.ndarray>;
  assert.throws(() => d.a, { name: "BadZipFile" });
});

test("npz: entries named __proto__ and constructor are plain keys; entries load when used", () => {
  const z = np.load(path.join(CRAFTED_DIR, "proto.npz")) as Record<string, np.ndarray>;
  assert.deepEqual(Object.keys(z), ["__proto__", "constructor", "toString"]);
  assert.deepEqual(z.__proto__.shape, [3, 4]);
  assert.deepEqual((z.constructor as unknown as np.ndarray).tolist(), [1, 2, 3]);
  assert.equal(({} as Record<string, unknown>).shape, undefined);
  // A damaged entry raises when read (again on every read), the others load.
  const bad = np.load(path.join(CRAFTED_DIR, "crc_field.npz")) as Record<string, np.ndarray>;
  assert.deepEqual(bad.b.tolist(), [1, 2, 3]);
  for (let i = 0; i < 2; i++) assert.throws(() => bad.a, { name: "BadZipFile", message: "Bad CRC-32 for file 'a.npy'" });
});

test("npz: a zip bomb is refused without inflating it", () => {
  const z = np.load(path.join(CRAFTED_DIR, "bomb.npz")) as Record<string, np.ndarray>;
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => z.x, { name: "BadZipFile" });
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 << 20, "the 64 MB stream was not inflated");
});

test("npy: max_header_size and allow_pickle as in NumPy", () => {
  const file = path.join(CRAFTED_DIR, "header_too_long.npy");
  assert.throws(() => np.load(file), { name: "ValueError", message: /^Header info length \(20086\) is large/ });
  assert.deepEqual((np.load(file, { max_header_size: 30000 }) as np.ndarray).shape, [3, 4]);
  assert.deepEqual((np.load(file, { allow_pickle: true }) as np.ndarray).shape, [3, 4]);
});

test("load of /dev/zero stops at the magic string, as NumPy does", { skip: !existsSync("/dev/zero") }, () => {
  // In a child process with a time limit: a load that reads on would block this one for good.
  const entry = new URL("../../src/index.js", import.meta.url).href;
  const code = `import * as np from ${JSON.stringify(entry)};
    for (const allow_pickle of [false, true]) {
      try { np.load("/dev/zero", { allow_pickle }); console.log("loaded"); } catch (e) { console.log(e.name + ": " + e.message); }
    }
    process.exit(0);`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    encoding: "utf8",
    timeout: 30000,
    env: { ...process.env, TESSERA_CPUS: "1" },
  });
  assert.equal(r.signal, null, "np.load('/dev/zero') did not return within 30 s");
  assert.match(r.stdout, /^ValueError: This file contains pickled \(object\) data/);
  assert.match(r.stdout, /\nUnpicklingError: Failed to interpret file '\/dev\/zero' as a pickle/);
  assert.throws(() => np.load(path.join(CRAFTED_DIR, "empty.npy")), { name: "EOFError", message: "No data left in file" });
});

/** The views generate_npy.py saves as chunk_*.npy. */
function chunkViews(): Record<string, np.ndarray> {
  const c = np.arange(700).mul(0.5).reshape(100, 7);
  const cplx = np
    .arange(60)
    .astype("complex128")
    .add(
      np
        .arange(59, -1, -1)
        .astype("complex128")
        .mul(np.array([{ re: 0, im: 1 }]).astype("complex128")),
    );
  return {
    chunk_c: c,
    chunk_t: c.T,
    chunk_strided: c.get("::3, 1::2"),
    chunk_i1_strided: np.arange(999).mod(100).sub(50).astype("int8").reshape(37, 27).get("1::2, ::-4"),
    chunk_c16_strided: cplx.reshape(6, 10).get(":, ::3"),
  };
}

test("save and load stream in chunks: NumPy's bytes (Fortran order for transposes), many chunks each way", () => {
  const saved = { ...ioHooks };
  try {
    ioHooks.chunkBytes = 16; // 2 float64 per chunk
    let writes = 0;
    ioHooks.beforeWrite = () => {
      writes++;
    };
    for (const [name, a] of Object.entries(chunkViews())) {
      const want = readFileSync(path.join(DIR, `${name}.npy`));
      const file = path.join(tmp, `${name}.npy`);
      writes = 0;
      np.save(file, a);
      assert.deepEqual(readFileSync(file), want, name);
      assert.ok(writes > 5, `${name}: written in ${writes} chunks`);
      const before = ioHooks.chunksRead;
      const back = np.load(path.join(DIR, `${name}.npy`)) as np.ndarray;
      assert.ok(ioHooks.chunksRead - before > 5, `${name}: read in ${ioHooks.chunksRead - before} chunks`);
      assert.deepEqual(back.tolist(), a.tolist(), name);
      for (const save of [np.savez, np.savez_compressed]) {
        save(path.join(tmp, `${name}_z`), { a, b: a.T });
        const z = np.load(path.join(tmp, `${name}_z.npz`)) as Record<string, np.ndarray>;
        assert.deepEqual(z.a.tolist(), a.tolist(), `${name} ${save.name}`);
        assert.deepEqual(z.b.tolist(), a.T.tolist(), `${name} ${save.name}`);
      }
    }
    // Big-endian, Fortran-order and bool files read chunk by chunk as well.
    assert.deepEqual((np.load(path.join(DIR, "bigendian_i4.npy")) as np.ndarray).tolist(), [
      [-2, -1, 0],
      [1, 2, 3],
    ]);
    assert.deepEqual((np.load(path.join(DIR, "fortran_f8.npy")) as np.ndarray).tolist(), make("float64", [3, 4]).tolist());
    assert.deepEqual((np.load(path.join(DIR, "bool_s2.npy")) as np.ndarray).tolist(), make("bool", [3, 4]).tolist());
  } finally {
    Object.assign(ioHooks, saved);
  }
});

for (const save of [np.save, np.savez, np.savez_compressed]) {
  test(`${save.name} over an existing file: a failure mid-write leaves the old file and no temporary file`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tessera-atomic-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, save === np.save ? "x.npy" : "x.npz");
    save(file, np.arange(1000));
    chmodSync(file, 0o640);
    const old = readFileSync(file);
    const saved = { ...ioHooks };
    try {
      ioHooks.chunkBytes = 256;
      let n = 0;
      ioHooks.beforeWrite = () => {
        if (++n === 4) throw new Error("disk full");
      };
      assert.throws(() => save(file, np.arange(2000).mul(2)), { message: "disk full" });
    } finally {
      Object.assign(ioHooks, saved);
    }
    assert.deepEqual(readFileSync(file), old);
    assert.deepEqual(readdirSync(dir), [path.basename(file)]);
    // Completed, it replaces the file, keeping its permissions.
    save(file, np.arange(2000).mul(2));
    const back = save === np.save ? (np.load(file) as np.ndarray) : (np.load(file) as Record<string, np.ndarray>).arr_0;
    assert.deepEqual(back.get("-2:").tolist(), [3996, 3998]);
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), [path.basename(file)]);
  });
}
