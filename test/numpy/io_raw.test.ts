/**
 * np.fromstring and np.fromfile against test/fixtures/io_raw.json
 * (test/fixtures/generate_io_raw.py): each fromfile case's content is written to a temporary
 * file first, as the generator did.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as np from "tessera";
import { loadCases, replay } from "./call_fixture.js";

type Fn = (...a: unknown[]) => unknown;
const dir = mkdtempSync(path.join(tmpdir(), "tessera-io-raw-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

replay(loadCases("io_raw"), {
  call: (c, args, kw) => {
    if (c.fn === "fromstring") return (np.fromstring as unknown as Fn)(...args, ...kw);
    const file = path.join(dir, "data");
    writeFileSync(file, args[0] as Buffer);
    return (np.fromfile as unknown as Fn)(file, ...args.slice(1), ...kw);
  },
});

test("fromfile: a missing file is Python's FileNotFoundError", () => {
  const file = path.join(dir, "missing.bin");
  assert.throws(() => np.fromfile(file), { name: "FileNotFoundError", message: `[Errno 2] No such file or directory: '${file}'` });
});
