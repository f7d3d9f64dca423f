// The browser bundle: dist/browser/{tessera,core}.js (the APIs), worker.js (a CPU worker),
// device_worker.js (the GPU device thread), tasks.js (the numpy library's tasks, from
// src/numpy/tasks/index.ts, which CPU workers import), demo.js (examples/browser), and shared
// chunks, all in one folder, since the sources find their workers next to themselves
// (new URL("./worker.js", import.meta.url)). Node-only modules are replaced by the shims in
// src/browser/node/. Run by `npm run build`.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const shim = (name) => path.join(root, "src/browser/node", `${name}.ts`);
const SHIMS = {
  "node:os": shim("os"),
  "node:path": shim("path"),
  "node:util": shim("util"),
  "node:perf_hooks": shim("perf_hooks"),
  "node:worker_threads": shim("worker_threads"),
  webgpu: shim("webgpu"),
  "node:fs": shim("unavailable"),
  "node:fs/promises": shim("unavailable"),
  "node:child_process": shim("unavailable"),
  "node:crypto": shim("unavailable"),
  "node:module": shim("unavailable"),
  "node:v8": shim("unavailable"),
  "node:vm": shim("unavailable"),
  "node:zlib": shim("unavailable"),
};

const browserShims = {
  name: "tessera-browser",
  setup(b) {
    b.onResolve({ filter: /^(node:[a-z0-9_/]+|webgpu)$/ }, (args) => {
      const to = SHIMS[args.path];
      if (!to) return { errors: [{ text: `${args.path} has no browser shim (src/browser/node/)` }] };
      return { path: to };
    });
    b.onResolve({ filter: /^tessera(\/core)?$/ }, (args) => ({
      path: path.join(root, "src/browser", args.path === "tessera" ? "index.ts" : "core.ts"),
    }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: {
    tessera: "src/browser/index.ts",
    core: "src/browser/core.ts",
    worker: "src/backends/cpu/worker.ts",
    device_worker: "src/backends/webgpu/device_worker.ts",
    tasks: "src/numpy/tasks/index.ts",
    demo: "examples/browser/demo.ts",
  },
  outdir: "dist/browser",
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  inject: [shim("process")],
  plugins: [browserShims],
  sourcemap: true,
  logLevel: "warning",
});
