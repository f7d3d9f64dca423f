/**
 * Arrow interop against test/fixtures/arrow.json (test/fixtures/generate_arrow.py): for every
 * dtype, a.to_arrow() holds NumPy's bytes (bit-packed for bool) and shares the array's memory;
 * np.from_arrow, Arrow IPC files and Parquet files give back the same dtype, shape and bytes;
 * nulls raise, fill or mask; tables, chunked vectors, types without a NumPy equivalent, and
 * truncated or corrupt files. DuckDB (a real, independent Arrow/Parquet implementation) reads
 * what Tessera writes and the other way round.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import * as np from "tessera";
import { parseFloatText } from "./conformance_support.js";
import { runtime } from "../../src/core/index.js";

interface Case {
  name: string;
  dtype: string;
  shape: number[];
  hex: string;
  bits?: string;
  values: unknown[];
  valid?: boolean[];
  fill?: unknown;
  filled_hex?: string;
}
const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/arrow.json", import.meta.url), "utf8")) as { cases: Case[]; nulls: Case[] };
// Across MPI ranks: one directory (rank 0's) for the files np.save_* writes once for all
// ranks; files this test writes itself get the rank in their names.
// One directory for all ranks (rank 0's), removed once every rank is done with it.
const dir = runtime().bcast((runtime().dist?.rank ?? 0) === 0 ? mkdtempSync(join(tmpdir(), "tessera-arrow-")) : "");
after(() => runtime().once(() => rmSync(dir, { recursive: true, force: true })));
const rank = runtime().dist?.rank ?? 0;

const bytesOf = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, "hex"));
/** NumPy's array for a case, from NumPy's bytes. */
function arrayOf(c: Case, hex = c.hex): np.ndarray {
  const b = bytesOf(hex);
  return np.frombuffer(b.length ? b : new Uint8Array(0), { dtype: c.dtype }).reshape(c.shape);
}
/** The array's elements as bytes (C order). */
function rawBytes(a: np.ndarray): Uint8Array {
  const t = a.toTypedArray();
  return new Uint8Array(t.buffer, t.byteOffset, a.size * a.itemsize);
}
function assertSame(a: unknown, c: Case, hex = c.hex): void {
  assert.ok(a instanceof np.ndarray, `${c.name}: not an ndarray`);
  assert.equal(a.dtype.name, c.dtype, `${c.name}: dtype`);
  assert.deepEqual(a.shape, c.shape, `${c.name}: shape`);
  assert.deepEqual(Buffer.from(rawBytes(a)).toString("hex"), hex, `${c.name}: bytes`);
}
/** The leaf (element) data of an Arrow column, under its FixedSizeLists. */
function leafData(d: arrow.Data): arrow.Data {
  let x = d;
  while (arrow.DataType.isFixedSizeList(x.type)) x = x.children[0];
  return x;
}
const storeBuffer = (a: np.ndarray): SharedArrayBuffer | null =>
  (a as unknown as { _store: { storage: { buffer: SharedArrayBuffer | null } } })._store.storage.buffer;

test("to_arrow holds NumPy's bytes in the array's own memory, and from_arrow gives the array back without a copy", () => {
  for (const c of fixture.cases) {
    const a = arrayOf(c);
    const v = a.to_arrow();
    assert.equal(v.length, c.shape[0], `${c.name}: rows`);
    const leaf = leafData(v.data[0]);
    const values = leaf.values as unknown as ArrayBufferView;
    const got = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    if (c.dtype === "bool") {
      const bits = bytesOf(c.bits as string);
      assert.deepEqual([...got.subarray(0, bits.length)], [...bits], `${c.name}: packed bits`);
    } else {
      assert.equal(Buffer.from(got.subarray(0, bytesOf(c.hex).length)).toString("hex"), c.hex, `${c.name}: Arrow bytes`);
      assert.equal(values.buffer, storeBuffer(a), `${c.name}: the Arrow buffer is the store's memory`);
    }
    const back = np.from_arrow(v);
    assertSame(back, c);
    if (c.dtype !== "bool") assert.equal(storeBuffer(back as np.ndarray), values.buffer, `${c.name}: from_arrow adopted the buffer`);
  }
});

test("Arrow's own accessors read the values NumPy has", () => {
  for (const c of fixture.cases.filter((c) => c.shape.length === 1 && /^(float|int(8|16|32)|uint(8|16|32)|bool)/.test(c.dtype))) {
    const v = arrayOf(c).to_arrow();
    c.values.forEach((x, i) => {
      const want = c.dtype.startsWith("float") ? parseFloatText(x as string) : x;
      const got = v.get(i);
      if (typeof want === "number" && Number.isNaN(want)) assert.ok(Number.isNaN(got as number), `${c.name}[${i}]`);
      else assert.ok(Object.is(got, want) || got === want, `${c.name}[${i}]: ${String(got)} vs ${String(want)}`);
    });
  }
});

test("n-d arrays: nested FixedSizeLists as a Vector, FixedShapeTensor in a table", () => {
  const a = np.arange(24, { dtype: "float32" }).reshape(2, 3, 4);
  assert.equal(String(a.to_arrow().type), "FixedSizeList[3]<FixedSizeList[4]<Float32>>");
  const t = np.to_arrow_table({ x: a, i: np.arange(2) });
  const f = t.schema.fields[0];
  assert.equal(String(f.type), "FixedSizeList[12]<Float32>");
  assert.equal(f.metadata.get("ARROW:extension:name"), "arrow.fixed_shape_tensor");
  assert.deepEqual(JSON.parse(f.metadata.get("ARROW:extension:metadata") as string), { shape: [3, 4] });
  const back = np.from_arrow(t) as Record<string, np.ndarray>;
  assert.deepEqual(back.x.shape, [2, 3, 4]);
  assert.ok(np.array_equal(back.x, a));
  assert.ok(np.array_equal(back.i, np.arange(2)));
  assert.throws(() => np.to_arrow_table({ x: np.arange(3), y: np.arange(4) }), { name: "ValueError", message: /same length/ });
  assert.throws(() => np.array(1).to_arrow(), { name: "ValueError", message: /0-d/ });
});

test("a strided view is copied once; the exported memory is never reused after the array is freed", () => {
  const a = np.arange(20).reshape(4, 5);
  const col = a.T.to_arrow();
  assert.deepEqual((np.from_arrow(col) as np.ndarray).tolist(), a.T.tolist());
  const big = np.arange(100000, { dtype: "float64" });
  const v = big.to_arrow();
  big.dispose();
  for (let k = 0; k < 4; k++) np.full(100000, -1.0).sum();
  assert.equal(v.get(99999), 99999);
  assert.equal(v.get(1), 1);
});

test("tables: a record of columns, { stack: true }, chunked vectors", () => {
  const t = np.to_arrow_table({ a: np.arange(3, { dtype: "float64" }), b: np.linspace(0, 1, 3) });
  const s = np.from_arrow(t, { stack: true }) as np.ndarray;
  assert.deepEqual(s.tolist(), [
    [0, 0],
    [1, 0.5],
    [2, 1],
  ]);
  const mixed = np.to_arrow_table({ a: np.arange(3), b: np.linspace(0, 1, 3) });
  assert.throws(() => np.from_arrow(mixed, { stack: true }), { name: "TypeError", message: /one dtype/ });
  const chunked = new arrow.Vector([
    arrow.makeData({ type: new arrow.Int32(), length: 2, data: new Int32Array([1, 2]) }),
    arrow.makeData({ type: new arrow.Int32(), length: 3, data: new Int32Array([3, 4, 5]) }),
  ]);
  const c = np.from_arrow(chunked) as np.ndarray;
  assert.equal(c.dtype.name, "int32");
  assert.deepEqual(c.tolist(), [1, 2, 3, 4, 5]);
  const sliced = arrow.makeVector(new Float64Array([0, 1, 2, 3, 4, 5])).slice(2, 5);
  assert.deepEqual((np.from_arrow(sliced) as np.ndarray).tolist(), [2, 3, 4]);
});

/** An Arrow vector of a null case: its values with NumPy's validity. */
function nullVector(c: Case): arrow.Vector {
  const a = arrayOf(c);
  const bitmap = new Uint8Array(8);
  (c.valid as boolean[]).forEach((ok, i) => {
    if (ok) bitmap[i >> 3] |= 1 << (i & 7);
  });
  const nulls = (c.valid as boolean[]).filter((x) => !x).length;
  const type = a.to_arrow().type as arrow.Int;
  return arrow.makeVector(arrow.makeData({ type, length: a.size, nullCount: nulls, nullBitmap: bitmap, data: a.toTypedArray() as Int32Array }));
}
const fillOf = (c: Case): number | bigint =>
  c.dtype.startsWith("float") ? parseFloatText(c.fill as string) : c.dtype.endsWith("64") ? BigInt(c.fill as number) : (c.fill as number);

test("nulls: an error by default, filled with { fill }, a mask with { mask: true }", () => {
  for (const c of fixture.nulls) {
    const v = nullVector(c);
    assert.throws(() => np.from_arrow(v), { name: "ValueError", message: /null value\(s\); pass \{ fill: value \}/ });
    assertSame(np.from_arrow(v, { fill: fillOf(c) }), c, c.filled_hex);
    const m = np.from_arrow(v, { mask: true }) as np.MaskedColumn;
    assert.deepEqual(
      m.mask.tolist(),
      (c.valid as boolean[]).map((x) => !x),
      `${c.name}: mask`,
    );
  }
});

test("a float16 column's nulls are filled with the float16 value", () => {
  const bits = new Uint16Array([0x3c00, 0, 0x4000]); // 1, (null), 2
  const v = arrow.makeVector(arrow.makeData({ type: new arrow.Float16(), length: 3, nullCount: 1, nullBitmap: new Uint8Array([0b101]), data: bits }));
  assert.deepEqual((np.from_arrow(v, { fill: 0.5 }) as np.ndarray).tolist(), [1, 0.5, 2]);
});

test("types NumPy has no equivalent of raise TypeError naming the type, unless an option converts them", () => {
  assert.throws(() => np.from_arrow(arrow.vectorFromArray(["a", "b"], new arrow.Utf8())), {
    name: "TypeError",
    message: "Arrow type Utf8 has no NumPy equivalent",
  });
  const ts = arrow.makeVector(arrow.makeData({ type: new arrow.TimestampMillisecond(), length: 2, data: new BigInt64Array([1000n, 2000n]) }));
  assert.throws(() => np.from_arrow(ts), { name: "TypeError", message: /Timestamp.*temporal/ });
  assert.deepEqual((np.from_arrow(ts, { temporal: "int64" }) as np.ndarray).tolist(), [1000, 2000]);
  const dict = arrow.makeVector(
    arrow.makeData({
      type: new arrow.Dictionary(new arrow.Float64(), new arrow.Int32()),
      length: 3,
      data: new Int32Array([1, 0, 1]),
      dictionary: arrow.makeVector(new Float64Array([0.5, 2.5])),
    }),
  );
  assert.throws(() => np.from_arrow(dict), { name: "TypeError", message: /Dictionary/ });
  assert.deepEqual((np.from_arrow(dict, { dictionary: "decode" }) as np.ndarray).tolist(), [2.5, 0.5, 2.5]);
});

test("Arrow IPC files and streams round-trip every dtype; a one-batch file is adopted without a copy", () => {
  for (const c of fixture.cases) {
    const a = arrayOf(c);
    for (const format of ["file", "stream"] as const) {
      const path = join(dir, `x.${format}.arrow`);
      np.save_arrow(path, a, { format });
      assertSame(np.load(path), c);
    }
  }
  const path = join(dir, "t.arrow");
  np.save_arrow(path, { x: np.arange(4, { dtype: "float64" }), y: np.arange(4, { dtype: "int16" }) });
  const t = np.load(path) as Record<string, np.ndarray>;
  assert.deepEqual(t.y.tolist(), [0, 1, 2, 3]);
  assert.equal(storeBuffer(t.x), storeBuffer(t.y), "both columns are views of the file's memory");
  assert.throws(() => np.save_arrow(path, np.arange(2), { format: "csv" as never }), { name: "ValueError" });
});

test("np.read_arrow: a file of several record batches (split across MPI ranks), nulls, a stream", async () => {
  const part = (k: number): arrow.RecordBatch =>
    np.to_arrow_table({ x: np.arange(k * 10, k * 10 + 7, { dtype: "float64" }), t: np.arange(21 * k, 21 * k + 21, { dtype: "int16" }).reshape(7, 3) })
      .batches[0];
  const many = new arrow.Table([part(0), part(1), part(2), part(3), part(4)]);
  const path = join(dir, "many.arrow");
  runtime().once(() => writeFileSync(path, arrow.tableToIPC(many, "file")));
  const t = (await np.read_arrow(path)) as Record<string, np.ndarray>;
  const want = np.concatenate([0, 1, 2, 3, 4].map((k) => np.arange(k * 10, k * 10 + 7, { dtype: "float64" })));
  assert.ok(np.array_equal(t.x, want));
  assert.deepEqual(t.t.shape, [35, 3]);
  assert.ok(np.array_equal(t.t, np.arange(105, { dtype: "int16" }).reshape(35, 3)));
  assert.equal(Number(np.sum(t.x)), Number(np.sum(want)));
  const c = fixture.nulls[1];
  const nulls = join(dir, "nulls.arrow");
  np.save_arrow(nulls, new arrow.Table({ v: nullVector(c) }));
  await assert.rejects(np.read_arrow(nulls), { name: "ValueError", message: /null value/ });
  assertSame(((await np.read_arrow(nulls, { fill: fillOf(c) })) as Record<string, np.ndarray>).v, c, c.filled_hex);
  const stream = join(dir, "many.arrows");
  runtime().once(() => writeFileSync(stream, arrow.tableToIPC(many, "stream")));
  assert.ok(np.array_equal(((await np.read_arrow(stream)) as Record<string, np.ndarray>).x, want));
  await assert.rejects(np.read_arrow(join(dir, "missing.arrow")), { name: "FileNotFoundError" });
});

test("Parquet files round-trip every dtype, with every codec and several row groups", async () => {
  for (const c of fixture.cases) {
    const path = join(dir, "x.parquet");
    np.save_parquet(path, arrayOf(c));
    assertSame(await np.read_parquet(path), c);
  }
  const a = np.arange(1000, { dtype: "float64" });
  for (const compression of ["uncompressed", "snappy", "gzip", "brotli", "lz4", "zstd"] as const) {
    const path = join(dir, `c.${compression}.parquet`);
    np.save_parquet(path, { a, b: a.mul(2) }, { compression, row_group_size: 300 });
    const t = (await np.read_parquet(path)) as Record<string, np.ndarray>;
    assert.ok(np.array_equal(t.a, a) && np.array_equal(t.b, a.mul(2)), compression);
    const only = (await np.read_parquet(path, { columns: ["b"] })) as Record<string, np.ndarray>;
    assert.deepEqual(Object.keys(only), ["b"]);
    assert.deepEqual(((await np.read_parquet(path, { stack: true })) as np.ndarray).shape, [1000, 2]);
  }
  await assert.rejects(np.read_parquet(join(dir, "missing.parquet")), { name: "FileNotFoundError" });
  await assert.rejects(np.read_parquet(join(dir, "c.zstd.parquet"), { columns: ["nope"] }), { name: "ValueError", message: /no column 'nope'/ });
  assert.throws(() => np.save_parquet(join(dir, "z.parquet"), a, { compression: "lzo" as never }), { name: "ValueError" });
  assert.throws(() => np.load(join(dir, "c.zstd.parquet")), { name: "ValueError", message: /read_parquet/ });
});

test("Parquet nulls: an error by default, filled or masked on request", async () => {
  const c = fixture.nulls[0];
  const v = nullVector(c);
  const path = join(dir, "nulls.parquet");
  np.save_parquet(path, new arrow.Table({ v }));
  await assert.rejects(np.read_parquet(path), { name: "ValueError", message: /column 'v' of .* has null value/ });
  const filled = (await np.read_parquet(path, { fill: fillOf(c) })) as Record<string, np.ndarray>;
  assertSame(filled.v, c, c.filled_hex);
  const masked = (await np.read_parquet(path, { mask: true })) as Record<string, np.MaskedColumn>;
  assert.deepEqual(
    masked.v.mask.tolist(),
    (c.valid as boolean[]).map((x) => !x),
  );
});

test("truncated and corrupt files are rejected with a clear error", async () => {
  const ipc = join(dir, "ok.arrow");
  np.save_arrow(ipc, np.arange(10000, { dtype: "float64" }));
  const whole = readFileSync(ipc);
  const cut = join(dir, `cut${rank}.arrow`);
  writeFileSync(cut, whole.subarray(0, whole.length - 200));
  assert.throws(() => np.load(cut), { name: "ValueError", message: /not a valid Arrow IPC file/ });
  const pq = join(dir, "ok.parquet");
  np.save_parquet(pq, np.arange(10000, { dtype: "float64" }));
  const pbytes = readFileSync(pq);
  const pcut = join(dir, `cut${rank}.parquet`);
  writeFileSync(pcut, pbytes.subarray(0, pbytes.length - 100));
  await assert.rejects(np.read_parquet(pcut), { name: "ValueError", message: /not a valid Parquet file/ });
  const garbage = join(dir, `garbage${rank}.parquet`);
  writeFileSync(garbage, Buffer.concat([Buffer.from("PAR1"), Buffer.alloc(64, 7), Buffer.from("PAR1")]));
  await assert.rejects(np.read_parquet(garbage), { name: "ValueError", message: /not a valid Parquet file/ });
  const scrambled = Buffer.from(pbytes);
  for (let i = 8; i < 400; i++) scrambled[i] ^= 0x5a;
  const bad = join(dir, `bad${rank}.parquet`);
  writeFileSync(bad, scrambled);
  await assert.rejects(np.read_parquet(bad), { name: "ValueError" });
});

test("DuckDB reads Tessera's Parquet files and Tessera reads DuckDB's", async () => {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  const ours = join(dir, "ours.parquet");
  const x = np.linspace(0, 1, 5000);
  np.save_parquet(ours, { x, k: np.arange(5000, { dtype: "int32" }) }, { row_group_size: 1000 });
  const r = await con.runAndReadAll(`SELECT sum(x), sum(k), count(*) FROM '${ours}'`);
  const [sx, sk, n] = r.getRows()[0] as [number, bigint, bigint];
  assert.ok(Math.abs(sx - (np.sum(x).item() as number)) < 1e-9);
  assert.equal(sk, 12497500n);
  assert.equal(n, 5000n);
  const theirs = join(dir, `theirs${rank}.parquet`);
  await con.run(`COPY (SELECT i::DOUBLE / 7 AS d, i::BIGINT AS i FROM range(3000) t(i)) TO '${theirs}' (FORMAT parquet, ROW_GROUP_SIZE 1024)`);
  const t = (await np.read_parquet(theirs)) as Record<string, np.ndarray>;
  assert.equal(t.i.dtype.name, "int64");
  assert.ok(np.allclose(t.d, np.arange(3000).div(7)));
  assert.equal(np.sum(t.i).item(), 4498500);
});
