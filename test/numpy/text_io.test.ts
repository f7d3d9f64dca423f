/**
 * np.savetxt and np.loadtxt against NumPy (test/fixtures/text_io.json, written by
 * generate_text_io.py): the exact text savetxt writes for each fmt/delimiter/header option,
 * and loadtxt's dtype, shape, values and errors for each input and option.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as np from "tessera";
import { parseFloatText } from "./conformance_support.js";

interface Enc {
  dtype: string;
  shape: number[];
  data: (number | string | boolean)[];
}
const fixture = JSON.parse(readFileSync(new URL("../../../test/fixtures/text_io.json", import.meta.url), "utf8")) as {
  savetxt: { X: Enc; kw: Record<string, unknown>; text?: string; error?: [string, string] }[];
  loadtxt: { text: string; kw: Record<string, unknown>; want?: Enc; error?: [string, string] }[];
};
const dir = mkdtempSync(path.join(os.tmpdir(), "tessera-text-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const values = (e: Enc) => e.data.map((v) => (typeof v === "string" ? parseFloatText(v) : v));
const decode = (e: Enc) => np.array(values(e) as number[], { dtype: e.dtype as "float64" }).reshape(e.shape);

fixture.savetxt.forEach((c, i) => {
  test(`savetxt ${c.X.dtype}${JSON.stringify(c.X.shape)} ${JSON.stringify(c.kw)}`, () => {
    const file = path.join(dir, `s${i}.txt`);
    const call = () => np.savetxt(file, decode(c.X), c.kw as never);
    if (c.error) return assert.throws(call, { name: c.error[0], message: c.error[1] });
    call();
    assert.equal(readFileSync(file, "utf8"), c.text);
  });
});

fixture.loadtxt.forEach((c, i) => {
  test(`loadtxt ${JSON.stringify(c.text)} ${JSON.stringify(c.kw)}`, () => {
    const file = path.join(dir, `l${i}.txt`);
    writeFileSync(file, c.text);
    const call = () => np.loadtxt(file, c.kw as never) as InstanceType<typeof np.ndarray>;
    if (c.error) return assert.throws(call, { name: c.error[0], message: c.error[1] });
    const r = call();
    const want = c.want!;
    assert.equal(r.dtype.name, want.dtype);
    assert.deepEqual(r.shape, want.shape);
    const got = r.ndim === 0 ? [r.item()] : r.flatten().tolist();
    assert.deepEqual(got, values(want));
  });
});

test("savetxt to a .gz name writes gzip that loadtxt reads back", () => {
  const file = path.join(dir, "round.txt.gz");
  const x = np.arange(6, { dtype: "float64" }).reshape(2, 3);
  np.savetxt(file, x);
  assert.equal(readFileSync(file)[0], 0x1f);
  assert.deepEqual(np.loadtxt(file).tolist(), x.tolist());
});
