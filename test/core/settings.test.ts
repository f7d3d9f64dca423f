/**
 * Settings: every TESSERA_* variable the code reads is in the one table (src/core/settings.ts),
 * docs/configuration.md is generated from it, and bad values are errors naming the variable.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setting, settingDocs } from "tessera/core";
import { configurationDoc } from "../../src/cli/configuration_doc.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

test("docs/configuration.md is the one generated from the settings table (npm run docs:config)", () => {
  assert.equal(readFileSync(path.join(root, "docs/configuration.md"), "utf8"), configurationDoc());
});

test("the library reads TESSERA_* variables only through setting()", () => {
  const bad: string[] = [];
  for (const file of sources(path.join(root, "src"))) {
    const rel = path.relative(root, file);
    // The CLI hands variables on to the processes it starts; the browser shims hold them.
    if (rel === "src/core/settings.ts" || rel.startsWith("src/cli/") || rel.startsWith("src/browser/")) continue;
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/process\.env(\.TESSERA_[A-Z_]+|\[)/g)) bad.push(`${rel}: ${m[0]}`);
  }
  assert.deepEqual(bad, []);
});

test("every setting has a doc line and a default", () => {
  const docs = settingDocs();
  assert.ok(docs.length >= 20);
  for (const d of docs) {
    assert.ok(d.doc.length > 10 && d.shown.length > 0, d.name);
    assert.ok(d.name.startsWith("TESSERA_") || d.name === "CC", d.name);
  }
});

test("a bad value is a RangeError naming the variable; unset gives the default", () => {
  const saved = { ...process.env };
  try {
    process.env.TESSERA_CPUS = "two";
    assert.throws(() => setting("TESSERA_CPUS"), { name: "RangeError", message: "TESSERA_CPUS must be an integer >= 1, got 'two'" });
    process.env.TESSERA_KERNELS = "fortran";
    assert.throws(() => setting("TESSERA_KERNELS"), { message: "TESSERA_KERNELS must be one of 'auto', 'c', 'js', got 'fortran'" });
    process.env.TESSERA_GPU_MEMORY = "-1";
    assert.throws(() => setting("TESSERA_GPU_MEMORY"), /TESSERA_GPU_MEMORY must be a number >= 0, got '-1'/);
    delete process.env.TESSERA_CPUS;
    delete process.env.TESSERA_KERNELS;
    delete process.env.TESSERA_GPU_MEMORY;
    assert.equal(setting("TESSERA_CPUS"), undefined);
    assert.equal(setting("TESSERA_KERNELS"), "auto");
    assert.equal(setting("TESSERA_GPU_MEMORY"), 2 ** 31);
    process.env.TESSERA_LOG = " mapping, tasks ,";
    assert.deepEqual(setting("TESSERA_LOG"), ["mapping", "tasks"]);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
