/**
 * The direct Parquet reader (src/numpy/arrow/parquet_pages.ts): fixed-width columns read page
 * by page from the file into the arrays' stores, the rest through parquet-wasm. Every value
 * must come back bit for bit (NaN payloads included: dictionary values move as 32-bit words),
 * whichever reader took the chunk; the counts in readStats show which did, so a direct reader
 * that silently gave up everywhere fails here too. Files come from Tessera's writer
 * (parquet-wasm: dictionary pages overflowing into PLAIN ones, every codec) and from DuckDB
 * (V1 and V2 pages, nullable columns, other encodings).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as np from "tessera";
import { runtime } from "../../src/core/index.js";
import { readStats } from "../../src/numpy/arrow/parquet.js";
import { chunkPlans, readFooter } from "../../src/numpy/arrow/parquet_layout.js";

// One directory for all ranks (rank 0's), removed once every rank is done with it.
const dir = runtime().bcast((runtime().dist?.rank ?? 0) === 0 ? mkdtempSync(join(tmpdir(), "tessera-parquet-")) : "");
after(() => runtime().once(() => rmSync(dir, { recursive: true, force: true })));
const rank = runtime().dist?.rank ?? 0;
const ROWS = 300_000;

/** Deterministic bytes (xorshift32): every bit pattern, NaNs with payloads among them. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 255;
  }
  return out;
}

function rawBytes(a: np.ndarray): Buffer {
  const t = a.toTypedArray();
  return Buffer.from(t.buffer, t.byteOffset, a.size * a.itemsize);
}

/** Read `path` and count which reader took its chunks. */
async function readCounting(path: string, opts = {}): Promise<{ t: Record<string, np.ndarray>; direct: number; decoded: number }> {
  readStats.direct = 0;
  readStats.decoded = 0;
  const t = (await np.read_parquet(path, opts)) as Record<string, np.ndarray>;
  return { t, direct: readStats.direct, decoded: readStats.decoded };
}

const FIXED = ["int32", "uint32", "int64", "uint64", "float32", "float64"] as const;

/** Twelve fixed-width columns (random bit patterns; few distinct values in long runs) and four the direct reader leaves. */
function columns(): Record<string, np.ndarray> {
  const cols: Record<string, np.ndarray> = {};
  FIXED.forEach((dt, k) => {
    const size = np.dtype(dt).itemsize;
    cols[`${dt}_bits`] = np.frombuffer(noise(ROWS * size, 7 + k), { dtype: dt });
    cols[`${dt}_runs`] = np.floor_divide(np.arange(ROWS), 5000).mod(11).astype(dt);
  });
  cols.bool = np.equal(np.arange(ROWS).mod(3), 0);
  cols.int8 = np.arange(ROWS).mod(100).astype("int8");
  cols.float16 = np.arange(ROWS).mod(1000).astype("float16");
  cols.pairs = np.arange(ROWS * 2, { dtype: "float64" }).reshape([ROWS, 2]);
  return cols;
}

test("fixed-width columns come straight from the file, bit for bit, with every codec", async () => {
  const cols = columns();
  const direct = Object.keys(cols).filter((n) => n.endsWith("_bits") || n.endsWith("_runs")).length;
  const names = Object.keys(cols);
  for (const compression of ["uncompressed", "snappy", "zstd", "lz4", "gzip"] as const) {
    const path = join(dir, `fixed.${compression}.parquet`);
    np.save_parquet(path, cols, { compression, row_group_size: ROWS / 3 });
    const r = await readCounting(path);
    for (const n of names) {
      assert.equal(r.t[n].dtype.name, cols[n].dtype.name, `${compression} ${n}: dtype`);
      assert.deepEqual(r.t[n].shape, cols[n].shape, `${compression} ${n}: shape`);
      assert.ok(rawBytes(r.t[n]).equals(rawBytes(cols[n])), `${compression} ${n}: bytes`);
    }
    const chunks = r.direct + r.decoded;
    assert.ok(chunks > 0 && chunks % names.length === 0, `${compression}: ${chunks} chunks`);
    // gzip and brotli have no direct decompressor; the other codecs read every fixed-width chunk directly.
    const want = compression === "gzip" ? 0 : (chunks / names.length) * direct;
    assert.equal(r.direct, want, `${compression}: chunks read directly`);
    // Columns asked for in another order than the file's come back under their own names.
    const picked = (await np.read_parquet(path, { columns: ["float64_runs", "bool", "float64_bits"] })) as Record<string, np.ndarray>;
    assert.deepEqual(Object.keys(picked), ["float64_runs", "bool", "float64_bits"]);
    for (const n of Object.keys(picked)) assert.ok(rawBytes(picked[n]).equals(rawBytes(cols[n])), `${compression} ${n}: picked`);
  }
});

test("the bench's layout: a dictionary page that overflows into PLAIN pages, read directly", async () => {
  // 150,000 distinct float64 per row group: more than a 1 MB dictionary page holds.
  const x = np.frombuffer(noise(ROWS * 8, 99), { dtype: "float64" });
  const path = join(dir, "overflow.parquet");
  np.save_parquet(path, { x }, { compression: "uncompressed", row_group_size: ROWS / 2 });
  const footer = readFooter(path);
  assert.ok(footer, "footer parses");
  const plans = chunkPlans(footer, [0, 2], ["x"], ["float64"]);
  assert.ok(plans.every(([p]) => p !== null && p.rows === ROWS / 2 && p.itemsize === 8 && !p.optional));
  const r = await readCounting(path);
  assert.ok(rawBytes(r.t.x).equals(rawBytes(x)));
  assert.equal(r.decoded, 0);
  assert.ok(r.direct > 0);
});

test("DuckDB's files: V1 and V2 pages, nullable columns, nulls and encodings the direct reader leaves", async () => {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  const n = 300_000;
  const i = np.arange(n);
  const nullAt = np.equal(i.mod(1000), 5);
  for (const version of ["V1", "V2"])
    for (const codec of ["uncompressed", "snappy", "zstd", "lz4_raw", "gzip"]) {
      const path = join(dir, `duck.${version}.${codec}.${rank}.parquet`);
      await con.run(
        `COPY (SELECT i::DOUBLE / 7 AS d, i::BIGINT AS i, (i % 7)::INTEGER AS k, (i // 1000)::FLOAT AS r, ` +
          `CASE WHEN i % 1000 = 5 THEN NULL ELSE i END AS nul FROM range(${n}) t(i)) ` +
          `TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 100000, COMPRESSION ${codec}, PARQUET_VERSION ${version})`,
      );
      const what = `${version} ${codec}`;
      const r = await readCounting(path, { fill: -1 });
      assert.ok(np.array_equal(r.t.d, i.div(7)), `${what}: d`);
      assert.ok(np.array_equal(r.t.i, i), `${what}: i`);
      assert.equal(r.t.k.dtype.name, "int32");
      assert.ok(np.array_equal(r.t.k, i.mod(7)), `${what}: k`);
      assert.equal(r.t.r.dtype.name, "float32");
      assert.ok(np.array_equal(r.t.r, np.floor_divide(i, 1000)), `${what}: r`);
      assert.ok(np.array_equal(r.t.nul, np.where(nullAt, -1, i)), `${what}: nul`);
      // The column with nulls always goes to parquet-wasm; the others directly, where DuckDB
      // wrote them PLAIN or with a dictionary (V1) and the codec has a library here.
      const groups = (r.direct + r.decoded) / 5;
      if (codec === "gzip") assert.equal(r.direct, 0, what);
      else if (version === "V1") assert.equal(r.direct, 4 * groups, what);
      else assert.ok(r.direct > 0, `${what}: ${r.direct} direct`);
      const masked = (await np.read_parquet(path, { mask: true, columns: ["nul", "k"] })) as Record<string, np.MaskedColumn>;
      assert.ok(np.array_equal(masked.nul.mask, nullAt), `${what}: mask`);
      assert.ok(np.array_equal(masked.k.values, i.mod(7)) && !np.any(masked.k.mask).item(), `${what}: k beside a masked column`);
    }
});

test("a damaged page header inside the file is reported, not read past", async () => {
  const path = join(dir, "whole.parquet");
  np.save_parquet(path, { x: np.arange(ROWS, { dtype: "float64" }) }, { compression: "uncompressed", row_group_size: ROWS / 3 });
  const footer = readFooter(path);
  assert.ok(footer);
  const [[second]] = chunkPlans(footer, [1, 2], ["x"], ["float64"]);
  assert.ok(second);
  const bytes = Buffer.from(readFileSync(path));
  bytes.fill(0xee, second.start, second.start + 16);
  const bad = join(dir, `damaged${rank}.parquet`);
  writeFileSync(bad, bytes);
  await assert.rejects(np.read_parquet(bad), { name: "ValueError", message: /not a valid Parquet file/ });
});

test("files with flipped bits in their pages: read, or a ValueError, never another error", async () => {
  const n = 20_000;
  const x = np.random.default_rng(0).standard_normal([n]) as np.ndarray;
  const k = np.arange(n).mod(7).astype("int32");
  const files: Record<string, Buffer> = {};
  for (const compression of ["uncompressed", "snappy", "zstd"] as const) {
    const path = join(dir, `flip.${compression}.parquet`);
    np.save_parquet(path, { x, k }, { compression, row_group_size: 5000 });
    files[compression] = readFileSync(path);
  }
  let seed = 1;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const other: string[] = [];
  let rejected = 0;
  for (let it = 0; it < 100; it++) {
    const bytes = Buffer.from(files[["uncompressed", "snappy", "zstd"][it % 3]]);
    // Bits flipped between the magic and the footer: pages and their headers.
    const end = bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8);
    for (let f = 0, flips = 1 + Math.floor(rand() * 8); f < flips; f++) bytes[4 + Math.floor(rand() * (end - 4))] ^= 1 << Math.floor(rand() * 8);
    const bad = join(dir, `flipped${rank}.parquet`);
    writeFileSync(bad, bytes);
    try {
      await np.read_parquet(bad);
    } catch (e) {
      if ((e as Error).name === "ValueError") rejected++;
      else other.push(`${it}: ${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(other, []);
  assert.ok(rejected > 0, "some damaged files are rejected");
});
