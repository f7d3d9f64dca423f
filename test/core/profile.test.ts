import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

test("TESSERA_PROFILE writes a Chrome trace with a track per worker", () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "tessera-")), "trace.json");
  const script = `import * as np from "tessera"; const a = np.arange(1 << 20, { dtype: "float64" }); console.log(Number(a.mul(2).sum()));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: root,
    env: { ...process.env, TESSERA_PROFILE: out, TESSERA_CPUS: "2" },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const trace = JSON.parse(readFileSync(out, "utf8"));
  rmSync(path.dirname(out), { recursive: true, force: true });
  const spans = trace.traceEvents.filter((e: { ph: string }) => e.ph === "X");
  const names = trace.traceEvents.filter((e: { ph: string }) => e.ph === "M").map((e: { args: { name: string } }) => e.args.name);
  assert.ok(spans.length >= 2, "point tasks recorded");
  assert.ok(names.includes("cpu worker 0") && names.includes("cpu worker 1"), `worker tracks: ${names}`);
  for (const s of spans) assert.ok(s.dur >= 0 && s.ts > 0);
});
