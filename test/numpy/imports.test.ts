/**
 * The library's import graph: `numpy/` is written only against the core's public API, so
 * every import that leaves src/numpy names src/core/index.ts (node: builtins aside).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const numpy = path.join(root, "src/numpy");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
}

/** Every module specifier a file imports or re-exports from (static and dynamic). */
function specifiers(text: string): string[] {
  const re = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3]);
}

test("src/numpy imports the core only through core/index.ts", () => {
  const bad: string[] = [];
  for (const file of sources(numpy)) {
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue;
      const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, ".ts");
      if (target.startsWith(numpy + path.sep)) continue;
      if (target !== path.join(root, "src/core/index.ts")) bad.push(`${path.relative(root, file)}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});
