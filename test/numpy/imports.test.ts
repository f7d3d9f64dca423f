/**
 * The library's import graph: `numpy/` is written only against the core's public API (every
 * import that leaves src/numpy names src/core/index.ts), and the task modules that CPU
 * workers load (src/numpy/tasks/index.ts and what it imports) stay clear of the NumPy API.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const numpy = path.join(root, "src/numpy");
const coreIndex = path.join(root, "src/core/index.ts");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

interface Import {
  target: string;
  spec: string;
  typeOnly: boolean;
}

/** What a file imports or re-exports from (static and dynamic), relative specifiers resolved to .ts files. */
function imports(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const re =
    /(?:^|\n)\s*(import|export)(\s+type\b)?[^;"']*?\bfrom\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(re)]
    .map((m) => ({ spec: m[3] ?? m[4] ?? m[5], typeOnly: !!m[2] }))
    .filter((i) => i.spec.startsWith("."))
    .map((i) => ({ ...i, target: path.resolve(path.dirname(file), i.spec).replace(/\.js$/, ".ts") }));
}

test("src/numpy imports the core only through core/index.ts", () => {
  const bad: string[] = [];
  for (const file of sources(numpy)) {
    for (const i of imports(file)) {
      if (!i.target.startsWith(numpy + path.sep) && i.target !== coreIndex) bad.push(`${path.relative(root, file)}: ${i.spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test("CPU workers load the task modules without the NumPy API", () => {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !file.startsWith(numpy + path.sep)) return;
    seen.add(file);
    for (const i of imports(file)) if (!i.typeOnly) visit(i.target);
  };
  visit(path.join(numpy, "tasks/index.ts"));
  const loaded = [...seen].map((f) => path.relative(numpy, f)).sort();
  // ndarray.ts is the hub every API module imports.
  for (const api of ["ndarray.ts", "index.ts", "signature.ts"]) assert.ok(!loaded.includes(api), `workers would load ${api}: ${loaded.join(", ")}`);
  assert.ok(loaded.includes("tasks/sort/cpu.ts"), loaded.join(", "));
});
