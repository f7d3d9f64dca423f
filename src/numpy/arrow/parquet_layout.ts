import { closeSync, fstatSync, openSync } from "node:fs";
import { readAt } from "../read_at.js";
import { type Struct, ThriftReader, list, num, struct } from "./thrift_compact.js";

/**
 * Where a Parquet file keeps each column chunk, from its footer (FileMetaData, Thrift compact):
 * enough for the direct reader (parquet_pages.ts) to read a fixed-width column's pages
 * straight into an array's store. parquet-wasm reads the same footer for everything else;
 * this one only answers "which bytes, stored how".
 */

/** Parquet physical types the direct reader takes: the element's bytes as NumPy's. */
const INT32 = 1,
  INT64 = 2,
  FLOAT = 4,
  DOUBLE = 5;
const PHYSICAL: Record<number, string[]> = {
  [INT32]: ["int32", "uint32"],
  [INT64]: ["int64", "uint64"],
  [FLOAT]: ["float32"],
  [DOUBLE]: ["float64"],
};
/** SchemaElement.repetition_type. */
const OPTIONAL = 1,
  REPEATED = 2;

/** One column chunk as the direct reader reads it. */
export interface ChunkPlan {
  /** File offset of its first page (the dictionary page's, when it has one) and its bytes. */
  start: number;
  size: number;
  /** Parquet's CompressionCodec. */
  codec: number;
  itemsize: number;
  /** Whether each page carries definition levels (a nullable column). */
  optional: boolean;
  /** The row group's rows: the values the chunk must hold. */
  rows: number;
}

/** A file's FileMetaData and its size. */
export interface Footer {
  meta: Struct;
  fileSize: number;
}

/** The file's footer, or null when it does not parse. */
export function readFooter(path: string): Footer | null {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < 12) return null;
    const tail = Buffer.from(readAt(fd, size - 8, 8));
    const len = tail.readUInt32LE(0);
    if (tail.toString("latin1", 4) !== "PAR1" || len + 12 > size) return null;
    return { meta: new ThriftReader(readAt(fd, size - 8 - len, len)).struct(), fileSize: size };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** A Thrift binary field as text ("" where the bytes hold something else). */
function text(v: unknown): string {
  return v instanceof Uint8Array ? new TextDecoder().decode(v) : "";
}

/** Top-level leaf columns by name: physical type, repetition. */
function topLeaves(footer: Struct): Map<string, { physical: number; repetition: number }> {
  const schema = list(footer, 2) as Struct[];
  const out = new Map<string, { physical: number; repetition: number }>();
  let i = 1;
  for (let child = 0; child < num(schema[0], 5, 0) && i < schema.length; child++) {
    const e = schema[i];
    const name = text(e instanceof Map ? e.get(4) : undefined);
    if (!e.has(5)) out.set(name, { physical: num(e, 1), repetition: num(e, 3, 0) });
    // Skip the element and, for a group, its whole subtree.
    let pending = 1;
    while (pending > 0 && i < schema.length) pending += num(schema[i++], 5, 0) - 1;
  }
  return out;
}

/**
 * For each row group in [g0, g1), for each column named (as `dtypes` says it lands), its
 * plan, or null where the direct reader does not apply (a nested, repeated or boolean
 * column, a type stored in other bytes than NumPy's, a chunk in another file).
 */
export function chunkPlans(
  { meta: footer, fileSize }: Footer,
  [g0, g1]: [number, number],
  names: readonly string[],
  dtypes: readonly (string | null)[],
): (ChunkPlan | null)[][] {
  const leaves = topLeaves(footer);
  const groups = list(footer, 4) as Struct[];
  const plans: (ChunkPlan | null)[][] = [];
  for (let g = g0; g < g1; g++) {
    const rows = num(groups[g], 3);
    const chunks = list(groups[g], 1) as Struct[];
    plans.push(
      names.map((name, k) => {
        const leaf = leaves.get(name);
        const dtype = dtypes[k];
        if (!leaf || dtype === null || leaf.repetition === REPEATED || !PHYSICAL[leaf.physical]?.includes(dtype)) return null;
        const chunk = chunks.find((c) => {
          const path = list(struct(c, 3), 3);
          return path.length === 1 && text(path[0]) === name;
        });
        const meta = struct(chunk, 3);
        if (!chunk || !meta || chunk.has(1) || num(meta, 1) !== leaf.physical) return null;
        // Some writers put 0 where a chunk has no dictionary page.
        const data = num(meta, 9),
          dict = num(meta, 11, 0);
        const start = dict > 0 ? Math.min(data, dict) : data,
          size = num(meta, 7);
        // A chunk must lie inside the file (so that no page can claim more memory than it has).
        if (!(start >= 4 && size >= 0 && start + size <= fileSize)) return null;
        return {
          start,
          size,
          codec: num(meta, 4),
          itemsize: leaf.physical === INT32 || leaf.physical === FLOAT ? 4 : 8,
          optional: leaf.repetition === OPTIONAL,
          rows,
        };
      }),
    );
  }
  return plans;
}
