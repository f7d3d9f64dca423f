/**
 * The compiled-kernel cache (src/backends/cpu/native.ts) holds code that Tessera runs, so it
 * is used only when nobody else can write it, and it survives what shared and damaged caches
 * do. Each test runs native_cache_child.ts (sums of 10^6 elements) in child processes with
 * TESSERA_KERNELS=c and TESSERA_CACHE in a fresh temporary directory:
 *
 *  - a kernel planted in a directory others can write, or owned by another user (or under a
 *    HOME of another user, as with `sudo -E`), is not loaded: the cache is refused, the
 *    kernels run as JS and the sums are right;
 *  - temporary files are never written through symbolic links;
 *  - a truncated kernel is compiled again; one that still fails to load runs as JS;
 *  - the key names the CPU the compiler targets;
 *  - the cache stays within TESSERA_CACHE_MAX_MB, deleting the least recently used kernels;
 *  - the directories Tessera makes are 0700, and no C source is left behind.
 *
 * Files of another user are made with chown, so those tests need root (as in CI).
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const CI = process.env.TESSERA_CI === "1";
const CC = process.env.CC ?? "gcc";
const haveCompiler = spawnSync(CC, ["--version"], { stdio: "ignore" }).status === 0;
const skip = !haveCompiler && !CI ? "no C compiler: there is no kernel cache" : false;
const asRoot = process.geteuid?.() === 0;
const skipUnlessRoot = skip || (!asRoot && !CI ? "files of another user can be made only as root" : false);
/** Another user (nobody): owns the directories and files planted for it. */
const OTHER = 65534;

const child = fileURLToPath(new URL("./native_cache_child.js", import.meta.url));
const SUM = 499999500000;

const temps: string[] = [];
function tempDir(tag: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `tessera-kcache-${tag}-`));
  temps.push(d);
  return d;
}
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

type Env = Record<string, string | undefined>;

/**
 * Run the child program; `prelude` (shell commands) runs first in the same process, which
 * then becomes node (so `$$` is the child's pid). Returns its JSON output and its stderr.
 */
function run(env: Env, program = "sum", prelude?: string): { out: Record<string, number>; log: string } {
  const e: Env = {
    ...process.env,
    TESSERA_KERNELS: "c",
    TESSERA_CPUS: "2",
    TESSERA_GPUS: "0",
    TESSERA_LOG: "",
    TESSERA_NATIVE_CACHE_PROGRAM: program,
    ...env,
  };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  const r =
    prelude === undefined
      ? spawnSync(process.execPath, [child], { env: e as NodeJS.ProcessEnv, encoding: "utf8", timeout: 120_000 })
      : spawnSync("/bin/sh", ["-c", `${prelude}\nexec "$0" "$1"`, process.execPath, child], {
          env: e as NodeJS.ProcessEnv,
          encoding: "utf8",
          timeout: 120_000,
        });
  assert.equal(r.status, 0, `child exited with ${r.status} (${r.signal}):\n${(r.stderr ?? "").slice(-3000)}`);
  return { out: JSON.parse(r.stdout) as Record<string, number>, log: r.stderr };
}

/** The kernels (keys of `<key>.so`) in a cache directory. */
const kernels = (dir: string): string[] =>
  readdirSync(dir)
    .filter((n) => n.endsWith(".so"))
    .map((n) => n.slice(0, -3))
    .sort();

/** The keys the child's kernels have in a cache (filled in a fresh directory). */
function keysOf(program = "sum", env: Env = {}): string[] {
  const dir = tempDir("fill");
  assert.deepEqual(run({ ...env, TESSERA_CACHE: dir }, program).out.sum, SUM);
  const keys = kernels(dir);
  assert.ok(keys.length > 0, "the child compiled no kernel");
  return keys;
}

const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

let planted: string | undefined;
/** A shared object with `kernel` doing nothing and a constructor that creates $TESSERA_TEST_MARKER. */
function plantedKernel(): string {
  if (planted) return planted;
  const d = tempDir("planted");
  writeFileSync(
    path.join(d, "planted.c"),
    [
      "#include <fcntl.h>",
      "#include <stdlib.h>",
      "#include <unistd.h>",
      "__attribute__((constructor)) static void planted(void) {",
      '  const char *m = getenv("TESSERA_TEST_MARKER");',
      "  if (m) { int fd = open(m, O_WRONLY | O_CREAT, 0644); if (fd >= 0) close(fd); }",
      "}",
      "void kernel(void) {}",
      "",
    ].join("\n"),
  );
  execFileSync(CC, ["-shared", "-fPIC", "-o", path.join(d, "planted.so"), path.join(d, "planted.c")]);
  return (planted = path.join(d, "planted.so"));
}

/** Put the planted kernel, with its right hash, under every key in `dir`. */
function plant(dir: string, keys: string[]): void {
  for (const k of keys) {
    copyFileSync(plantedKernel(), path.join(dir, `${k}.so`));
    writeFileSync(path.join(dir, `${k}.sha256`), `${sha256(plantedKernel())}\n`);
  }
}

/** chown -R to another user. */
function giveAway(p: string): void {
  chownSync(p, OTHER, OTHER);
  if (lstatSync(p).isDirectory()) for (const n of readdirSync(p)) giveAway(path.join(p, n));
}

/** A test-only compiler: the real one, with a target that $TESSERA_TEST_TARGET changes and empty output under $TESSERA_TEST_BREAK. */
function wrapperCC(): string {
  const d = tempDir("cc");
  const cc = path.join(d, "cc");
  writeFileSync(
    cc,
    [
      "#!/bin/sh",
      `real='${CC.replace(/'/g, "'\\''")}'`,
      'case " $* " in *" --help=target "*) "$real" "$@"; s=$?; echo "$TESSERA_TEST_TARGET"; exit $s;; esac',
      '"$real" "$@" || exit $?',
      'if [ -n "$TESSERA_TEST_BREAK" ]; then',
      '  prev=; for a in "$@"; do [ "$prev" = -o ] && : > "$a"; prev=$a; done',
      "fi",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return cc;
}

describe("kernel cache: who may write it", { skip }, () => {
  test("a kernel planted in a cache directory others can write is not loaded: JS kernels, right sums", () => {
    const keys = keysOf();
    const shared = tempDir("shared");
    chmodSync(shared, 0o777);
    plant(shared, keys);
    const marker = path.join(tempDir("marker"), "ran");
    const { out, log } = run({ TESSERA_CACHE: shared, TESSERA_TEST_MARKER: marker, TESSERA_LOG: "kernels" });
    assert.equal(existsSync(marker), false, "the planted kernel was loaded");
    assert.deepEqual(out, { sum: SUM });
    assert.match(log, /kernel cache \S+ refused, using JS kernels: \S+ is writable by group or others/);
    assert.deepEqual(kernels(shared), keys, "nothing is compiled into a refused cache");
  });

  test("a cache directory owned by another user is refused", { skip: skipUnlessRoot }, () => {
    const keys = keysOf();
    const foreign = tempDir("foreign");
    chmodSync(foreign, 0o755);
    plant(foreign, keys);
    giveAway(foreign);
    const marker = path.join(tempDir("marker"), "ran");
    const { out, log } = run({ TESSERA_CACHE: foreign, TESSERA_TEST_MARKER: marker, TESSERA_LOG: "kernels" });
    assert.equal(existsSync(marker), false, "the planted kernel was loaded");
    assert.deepEqual(out, { sum: SUM });
    assert.match(log, new RegExp(`refused, using JS kernels: \\S+ is owned by uid ${OTHER}`));
  });

  test("a kernel of another user in the cache directory is refused", { skip: skipUnlessRoot }, () => {
    const keys = keysOf();
    const dir = tempDir("mine");
    plant(dir, keys);
    for (const n of readdirSync(dir)) chownSync(path.join(dir, n), OTHER, OTHER);
    const marker = path.join(tempDir("marker"), "ran");
    const { out, log } = run({ TESSERA_CACHE: dir, TESSERA_TEST_MARKER: marker, TESSERA_LOG: "kernels" });
    assert.equal(existsSync(marker), false, "the planted kernel was loaded");
    assert.deepEqual(out, { sum: SUM });
    assert.match(log, new RegExp(`refused, using JS kernels: \\S+\\.so is owned by uid ${OTHER}`));
  });

  test("under a HOME owned by another user (sudo -E) the default cache is refused and nothing is made there", { skip: skipUnlessRoot }, () => {
    const home = tempDir("home");
    chmodSync(home, 0o755);
    giveAway(home);
    const { out, log } = run({ HOME: home, TESSERA_CACHE: undefined, TESSERA_LOG: "kernels" });
    assert.deepEqual(out, { sum: SUM });
    assert.match(log, new RegExp(`refused, using JS kernels: \\S+ is owned by uid ${OTHER}, neither root nor 0`));
    assert.deepEqual(readdirSync(home), []);
  });

  test("temporary files are not written through symbolic links", () => {
    const dir = tempDir("links");
    assert.equal(run({ TESSERA_CACHE: dir }).out.sum, SUM);
    const keys = kernels(dir);
    for (const k of keys) for (const ext of [".so", ".sha256"]) rmSync(path.join(dir, k + ext), { force: true });
    const victim = path.join(tempDir("victim"), "victim");
    writeFileSync(victim, "precious\n");
    // Links at every name a process could guess: <key>.<pid>.c, <key>.so.<pid>.tmp.
    const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const links = keys.map((k) => `ln -s ${q(victim)} ${q(dir)}/${k}.$$.c && ln -s ${q(victim)} ${q(dir)}/${k}.so.$$.tmp`).join("\n");
    const { out } = run({ TESSERA_CACHE: dir }, "sum", links);
    assert.equal(readFileSync(victim, "utf8"), "precious\n", "a file was written through a symbolic link");
    assert.deepEqual(out, { sum: SUM });
    assert.deepEqual(kernels(dir), keys, "the kernels were compiled again");
  });

  test("writeNewFile follows no symbolic link and replaces no file", async () => {
    const { writeNewFile } = await import("../../src/backends/cpu/native.js");
    const dir = tempDir("write");
    const target = path.join(dir, "target");
    writeFileSync(target, "precious\n");
    symlinkSync(target, path.join(dir, "link"));
    assert.throws(() => writeNewFile(path.join(dir, "link"), "x"), /EEXIST|ELOOP/);
    assert.throws(() => writeNewFile(target, "x"), /EEXIST/);
    assert.equal(readFileSync(target, "utf8"), "precious\n");
    writeNewFile(path.join(dir, "new"), "fresh");
    assert.equal(readFileSync(path.join(dir, "new"), "utf8"), "fresh");
    assert.equal(statSync(path.join(dir, "new")).mode & 0o077, 0);
  });

  test("the cache directory and the parents Tessera makes are 0700; no C source is left behind", () => {
    const base = tempDir("mode");
    const dir = path.join(base, "x", "y");
    assert.equal(run({ TESSERA_CACHE: dir }).out.sum, SUM);
    for (const d of [path.join(base, "x"), dir]) assert.equal((statSync(d).mode & 0o777).toString(8), "700", d);
    const keys = kernels(dir);
    // Kernels, their hashes and the count of the cache's bytes.
    assert.deepEqual(readdirSync(dir).sort(), [".size", ...keys.flatMap((k) => [`${k}.sha256`, `${k}.so`])].sort());
    for (const k of keys) assert.equal(statSync(path.join(dir, `${k}.so`)).mode & 0o022, 0);
    // Kept for reading under TESSERA_LOG=kernels.
    const logged = tempDir("logged");
    run({ TESSERA_CACHE: logged, TESSERA_LOG: "kernels" });
    for (const k of kernels(logged)) assert.ok(existsSync(path.join(logged, `${k}.c`)), `${k}.c`);
  });
});

describe("kernel cache: damage, CPUs, size", { skip }, () => {
  test("a truncated kernel is compiled again", () => {
    const dir = tempDir("truncated");
    assert.equal(run({ TESSERA_CACHE: dir }).out.sum, SUM);
    const keys = kernels(dir);
    const size = (k: string) => statSync(path.join(dir, `${k}.so`)).size;
    const sizes = keys.map(size);
    for (const k of keys) truncateSync(path.join(dir, `${k}.so`), size(k) >> 1);
    let r = run({ TESSERA_CACHE: dir, TESSERA_LOG: "kernels" });
    assert.deepEqual(r.out, { sum: SUM });
    assert.match(r.log, /does not match its hash: compiling it again/);
    assert.deepEqual(keys.map(size), sizes);
    // A hash that matches the damage (only the ELF header's start left, which dlopen
    // rejects): the library fails to load, and is compiled again.
    for (const k of keys) {
      truncateSync(path.join(dir, `${k}.so`), 16);
      writeFileSync(path.join(dir, `${k}.sha256`), `${sha256(path.join(dir, `${k}.so`))}\n`);
    }
    r = run({ TESSERA_CACHE: dir, TESSERA_LOG: "kernels" });
    assert.deepEqual(r.out, { sum: SUM });
    assert.match(r.log, /failed to load, compiling it again/);
    assert.deepEqual(keys.map(size), sizes);
    for (const k of keys) assert.equal(readFileSync(path.join(dir, `${k}.sha256`), "utf8").trim(), sha256(path.join(dir, `${k}.so`)));
  });

  test("a kernel that fails to load after compiling again runs as JS", () => {
    const dir = tempDir("broken");
    const { out, log } = run({ TESSERA_CACHE: dir, CC: wrapperCC(), TESSERA_TEST_BREAK: "1", TESSERA_LOG: "kernels" });
    assert.deepEqual(out, { sum: SUM });
    assert.match(log, /failed to load again, using JS/);
    assert.deepEqual(kernels(dir), []);
  });

  test("the key names the CPU the compiler targets", () => {
    const dir = tempDir("target");
    const cc = wrapperCC();
    const a = run({ TESSERA_CACHE: dir, CC: cc, TESSERA_TEST_TARGET: "cpu-a" });
    const ka = kernels(dir);
    const b = run({ TESSERA_CACHE: dir, CC: cc, TESSERA_TEST_TARGET: "cpu-b" });
    const kb = kernels(dir).filter((k) => !ka.includes(k));
    assert.deepEqual([a.out, b.out], [{ sum: SUM }, { sum: SUM }]);
    assert.equal(kb.length, ka.length, "another target compiles its own kernels");
    run({ TESSERA_CACHE: dir, CC: cc, TESSERA_TEST_TARGET: "cpu-a" });
    assert.deepEqual(kernels(dir), [...ka, ...kb].sort(), "the same target reuses its kernels");
  });

  test("the cache stays within TESSERA_CACHE_MAX_MB: the least recently used kernels are deleted", () => {
    const dir = tempDir("bound");
    assert.equal(run({ TESSERA_CACHE: dir }).out.sum, SUM);
    const used = kernels(dir);
    const MiB = 2 ** 20;
    // Four unused 1 MiB entries, used in 2001 … 2004; the child's own kernel last used in 2000.
    const old = ["a", "b", "c", "d"].map((c, i) => {
      const k = c.repeat(24),
        when = new Date(Date.UTC(2001 + i, 0, 1));
      writeFileSync(path.join(dir, `${k}.so`), Buffer.alloc(MiB));
      writeFileSync(path.join(dir, `${k}.sha256`), "0\n");
      for (const ext of [".so", ".sha256"]) utimesSync(path.join(dir, k + ext), when, when);
      return k;
    });
    const y2000 = new Date(Date.UTC(2000, 0, 1));
    for (const k of used) for (const ext of [".so", ".sha256"]) utimesSync(path.join(dir, k + ext), y2000, y2000);
    // The cache keeps a running count of its bytes; files put there by hand are counted at
    // the next full count (daily, or now, without the count).
    rmSync(path.join(dir, ".size"));
    // The cached kernel and a new one: the cache is over 2.5 MB.
    const { out, log } = run({ TESSERA_CACHE: dir, TESSERA_CACHE_MAX_MB: "2.5", TESSERA_LOG: "kernels" }, "sum,triple");
    assert.deepEqual(out, { sum: SUM, triple: 3 * SUM });
    const left = kernels(dir);
    for (const k of old.slice(0, 3)) assert.ok(!left.includes(k) && !existsSync(path.join(dir, `${k}.sha256`)), `${k} evicted`);
    assert.ok(left.includes(old[3]), "the most recently used old entry stays");
    for (const k of used) {
      assert.ok(left.includes(k), "a kernel the process uses stays");
      assert.ok(statSync(path.join(dir, `${k}.so`)).mtimeMs > Date.UTC(2020, 0, 1), "a used kernel is marked used");
    }
    assert.ok(left.length > used.length + 1, "the new kernel stays");
    const total = readdirSync(dir).reduce((s, n) => s + lstatSync(path.join(dir, n)).size, 0);
    assert.ok(total <= 2.5 * MiB, `${total} bytes`);
    assert.match(log, /least recently used kernels deleted/);
    // Over the bound by the running count: the next compile counts and evicts again.
    const before = kernels(dir);
    assert.deepEqual(run({ TESSERA_CACHE: dir, TESSERA_CACHE_MAX_MB: "0.5" }, "plus7").out, { plus7: SUM + 7e6 });
    const now = kernels(dir);
    assert.ok(!now.includes(old[3]), `${old[3]} evicted`);
    assert.equal(now.filter((k) => !before.includes(k)).length, 1, "the new kernel stays");
  });
});
