/**
 * np.genfromtxt against test/fixtures/genfromtxt.json (test/fixtures/generate_genfromtxt.py):
 * lists of lines with every supported option, NumPy's values, dtypes, shapes, warnings and
 * errors; and a file on disk (plain and .gz) read the same as its lines.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import * as np from "tessera";
import { loadCases, replay } from "./call_fixture.js";

replay(loadCases("genfromtxt"));

test("a file and a .gz file read as their lines do", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tessera-genfromtxt-"));
  try {
    const lines = ["# a table", "1,2,3", "4,,6", "", "7,8,x"];
    const plain = path.join(dir, "t.csv"),
      gz = path.join(dir, "t.csv.gz");
    writeFileSync(plain, `${lines.join("\r\n")}\r\n`);
    writeFileSync(gz, gzipSync(`${lines.join("\n")}\n`));
    const want = np.genfromtxt(lines, { delimiter: "," }).tolist();
    assert.deepEqual(np.genfromtxt(plain, { delimiter: "," }).tolist(), want);
    assert.deepEqual(np.genfromtxt(gz, { delimiter: "," }).tolist(), want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
