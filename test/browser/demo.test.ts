import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { repoRoot, serve } from "../../examples/browser/serve.js";
import { type DemoNumbers, type DemoSizes, mismatches, reference } from "../../examples/browser/workload.js";

/**
 * The browser build in headless Chromium (Debian's `chromium`): the example page
 * (examples/browser/) served with COOP/COEP, its demo run on WebGPU — SwiftShader's adapter
 * on a machine without a GPU (`--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader`) —
 * on CPU Web Workers, and inline on the page's main thread; each time the numbers must equal
 * plain JavaScript's. Without chromium the test is skipped, except in CI (TESSERA_CI=1),
 * where that, like a missing WebGPU adapter, is a failure.
 */
const CI = process.env.TESSERA_CI === "1";
const SIZES: DemoSizes = { options: 1 << 18, matrix: 256 };
const PAGE_TIMEOUT_MS = 120_000;

function findChromium(): string | null {
  const names = process.env.TESSERA_CHROMIUM ? [process.env.TESSERA_CHROMIUM] : ["chromium", "chromium-browser", "google-chrome"];
  for (const name of names) {
    if (path.isAbsolute(name)) {
      if (existsSync(name)) return name;
      continue;
    }
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

const chromium = findChromium();
const missing = chromium ? null : "chromium is not installed (Debian: apt-get install chromium)";

let server: Server | null = null;
const waiting = new Map<string, (body: string) => void>();
async function origin(): Promise<string> {
  if (!existsSync(path.join(repoRoot, "dist/browser/demo.js"))) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, "scripts/build-browser.mjs")], { encoding: "utf8" });
    assert.equal(r.status, 0, `browser build failed: ${r.stderr}`);
  }
  server ??= await serve(repoRoot, 0, (name, body) => waiting.get(name)?.(body));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
after(() => {
  server?.closeAllConnections();
  server?.close();
});

interface PageOutcome {
  error?: string;
  result?: {
    backend: string;
    adapter: string | null;
    cpus: number;
    sizes: DemoSizes;
    numbers: DemoNumbers;
    expected: DemoNumbers;
    mismatches: string[];
    launches: Record<string, number>;
    ms: Record<string, number>;
  };
}

let runs = 0;
/** Open the example page with `query` in a fresh headless Chromium; resolve with what it reports. */
async function openPage(query: string): Promise<PageOutcome> {
  const name = `run${++runs}`;
  const url = `${await origin()}/examples/browser/?${query}&options=${SIZES.options}&matrix=${SIZES.matrix}&report=/report/${name}`;
  const profile = mkdtempSync(path.join(tmpdir(), "tessera-chromium-"));
  let output = "";
  let child: ChildProcess | null = null;
  try {
    const reported = new Promise<string>((resolve) => waiting.set(name, resolve));
    child = spawn(
      chromium!,
      [
        "--headless=new",
        "--no-sandbox",
        "--enable-unsafe-webgpu",
        "--use-webgpu-adapter=swiftshader",
        `--user-data-dir=${profile}`,
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--enable-logging=stderr",
        "--v=0",
        url,
      ],
      { stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const exited = new Promise<string>((resolve) =>
      child!.once("exit", (code, signal) => resolve(`chromium exited (${signal ?? code}) before the page reported`)),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no report from the page within ${PAGE_TIMEOUT_MS / 1000} s`), PAGE_TIMEOUT_MS);
    });
    const first = await Promise.race([reported.then((body) => ({ body })), exited.then((why) => ({ why })), timeout.then((why) => ({ why }))]);
    clearTimeout(timer);
    if ("why" in first) assert.fail(`${first.why}\n--- chromium output (tail) ---\n${output.slice(-4000)}`);
    return JSON.parse(first.body) as PageOutcome;
  } finally {
    waiting.delete(name);
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child!.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    rmSync(profile, { recursive: true, force: true });
  }
}

const expected = reference(SIZES);

function checkNumbers(outcome: PageOutcome): NonNullable<PageOutcome["result"]> {
  assert.equal(outcome.error, undefined, `the page reported an error: ${outcome.error}`);
  const r = outcome.result!;
  assert.deepEqual(r.sizes, SIZES);
  assert.deepEqual(r.mismatches, [], `the page's own check failed: ${JSON.stringify(r.numbers)} vs ${JSON.stringify(r.expected)}`);
  assert.deepEqual(
    mismatches(r.numbers, expected),
    [],
    `Tessera in the browser ${JSON.stringify(r.numbers)}, plain JS here ${JSON.stringify(expected)}`,
  );
  return r;
}

test("browser demo on WebGPU (SwiftShader adapter in headless Chromium)", { timeout: PAGE_TIMEOUT_MS + 30_000 }, async (t) => {
  if (missing) {
    if (CI) assert.fail(missing);
    t.skip(missing);
    return;
  }
  const outcome = await openPage("backend=webgpu");
  if (outcome.error && /adapter|WebGPU/i.test(outcome.error)) assert.fail(`no WebGPU adapter in headless Chromium: ${outcome.error}`);
  const r = checkNumbers(outcome);
  assert.equal(r.backend, "webgpu");
  assert.ok(r.adapter, "an adapter is reported");
  assert.ok(r.launches.webgpu >= 4, `launches on the GPU: ${JSON.stringify(r.launches)}`);
});

test("browser demo on CPU Web Workers", { timeout: PAGE_TIMEOUT_MS + 30_000 }, async (t) => {
  if (missing) {
    if (CI) assert.fail(missing);
    t.skip(missing);
    return;
  }
  const r = checkNumbers(await openPage("backend=cpu&cpus=2"));
  assert.equal(r.backend, "cpu");
  assert.equal(r.adapter, null);
  assert.equal(r.cpus, 2);
  assert.equal(r.launches.webgpu, 0);
  assert.ok(r.launches.cpu >= 4, `launches on the CPU workers: ${JSON.stringify(r.launches)}`);
});

test("browser demo inline on the page's main thread", { timeout: PAGE_TIMEOUT_MS + 30_000 }, async (t) => {
  if (missing) {
    if (CI) assert.fail(missing);
    t.skip(missing);
    return;
  }
  const r = checkNumbers(await openPage("backend=cpu&thread=main"));
  assert.equal(r.backend, "cpu");
  assert.deepEqual([r.launches.webgpu, r.launches.cpu], [0, 0], `everything inline: ${JSON.stringify(r.launches)}`);
  assert.ok(r.launches.inline > 0);
});
