/**
 * The import graph holds the dependency rule `numpy → core ← backends, ranks`:
 *  - src/core imports nothing outside src/core (it states the contracts; processors and the
 *    rank layer register with it);
 *  - src/numpy, src/backends and src/ranks import the core only through src/core/index.ts
 *    (or its task-side part, src/core/task_api.ts), and none of them imports another of
 *    the three;
 *  - only the entries (src/index.ts, src/core.ts, src/platform.ts, src/browser, src/cli) join
 *    them up;
 *  - CPU worker threads (src/backends/cpu/worker.ts and the task modules they load,
 *    src/numpy/tasks/index.ts and what it imports) load neither the runtime nor the NumPy
 *    API: only the core's task side.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const src = path.join(root, "src");
const numpy = path.join(root, "src/numpy");
const coreIndex = path.join(root, "src/core/index.ts");
const taskApi = path.join(root, "src/core/task_api.ts");

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

/** The top-level part of src a file belongs to: core, numpy, backends, ranks, browser, cli, or the entry files. */
function part(file: string): string {
  const parts = path.relative(src, file).split(path.sep);
  return parts.length === 1 ? "entry" : parts[0];
}

test("the import graph follows numpy → core ← backends, ranks", () => {
  const bad: string[] = [];
  for (const file of sources(src)) {
    const from = part(file);
    for (const i of imports(file)) {
      const to = part(i.target);
      if (to === from) continue;
      const ok =
        from === "core"
          ? false // the core imports nothing outside itself
          : ["numpy", "backends", "ranks"].includes(from)
            ? i.target === coreIndex || i.target === taskApi // the three layers meet only at the core's public API
            : true; // entries, browser build and CLI assemble the package
      if (!ok) bad.push(`${path.relative(root, file)}: ${i.spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test("nothing outside the entries, the browser build and the CLI imports src/backends or src/ranks", () => {
  const bad: string[] = [];
  for (const file of sources(src))
    for (const i of imports(file))
      if (["backends", "ranks"].includes(part(i.target)) && ["core", "numpy"].includes(part(file)))
        bad.push(`${path.relative(root, file)}: ${i.spec}`);
  assert.deepEqual(bad, []);
});

test("CPU workers load the task modules without the NumPy API or the runtime", () => {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of imports(file)) if (!i.typeOnly) visit(i.target);
  };
  visit(path.join(src, "backends/cpu/worker.ts"));
  visit(path.join(numpy, "tasks/index.ts"));
  const core = [...seen].filter((f) => part(f) === "core").map((f) => path.basename(f));
  for (const runtimePart of ["index.ts", "runtime.ts", "executor.ts", "fusion.ts", "reclaim.ts"])
    assert.ok(!core.includes(runtimePart), `workers would load core/${runtimePart}: ${core.join(", ")}`);
  const loaded = [...seen]
    .filter((f) => f.startsWith(numpy + path.sep))
    .map((f) => path.relative(numpy, f))
    .sort();
  // ndarray.ts is the hub every API module imports.
  for (const api of ["ndarray.ts", "index.ts", "signature.ts"]) assert.ok(!loaded.includes(api), `workers would load ${api}: ${loaded.join(", ")}`);
  assert.ok(loaded.includes("tasks/sort/cpu.ts"), loaded.join(", "));
});
