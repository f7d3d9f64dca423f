/**
 * OpenBLAS's core type: the decision (CPU features, the core OpenBLAS picks by itself, its
 * version, the user's settings → the OPENBLAS_CORETYPE to set), the flow that checks a chosen
 * core in a child before using it, and, on this machine, that the library products load runs
 * kernels as wide as the CPU supports.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  type CoretypeInput,
  type CpuInfo,
  type ProbeResult,
  chooseCoretype,
  coreLevel,
  cpuInfo,
  cpuLevel,
  decideCoretype,
  openblasVersion,
  runProbe,
} from "../../src/core/blas_coretype.js";
import { ffiAvailable } from "../../src/core/ffi.js";
import { blasInfo } from "../../src/numpy/tasks/matmul/blas.js";

const AVX512 = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512_fp16".split(" ");
const AVX2 = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx fma avx2".split(" ");
const xeon: CpuInfo = { vendor: "GenuineIntel", model: "Intel(R) Xeon(R) Platinum 8581C", flags: AVX512 };
const epyc: CpuInfo = { vendor: "AuthenticAMD", model: "AMD EPYC 7B13", flags: AVX2 };
const genoa: CpuInfo = { vendor: "AuthenticAMD", model: "AMD EPYC 9B14", flags: AVX512 };
const cfg = (v: string, core: string, dynamic = true): string =>
  `OpenBLAS ${v} NO_LAPACKE ${dynamic ? "DYNAMIC_ARCH " : ""}NO_AFFINITY ${core} MAX_THREADS=64`;

function decide(over: Partial<CoretypeInput>): string | null {
  const i: CoretypeInput = { cpu: xeon, corename: "Prescott", config: cfg("0.3.21", "Prescott"), userCoretype: undefined, setting: "auto", ...over };
  return decideCoretype(i).coretype;
}

test("a generic or older core on a CPU with AVX-512 becomes SkylakeX", () => {
  for (const core of ["Prescott", "Nehalem", "Sandybridge", "Haswell", "Zen", "Unknown", "Core2"])
    assert.equal(decide({ corename: core, config: cfg("0.3.21", core) }), "SkylakeX", core);
  assert.match(
    decideCoretype({ cpu: xeon, corename: "Prescott", config: cfg("0.3.21", "Prescott"), userCoretype: undefined, setting: "auto" }).reason,
    /picked Prescott \(SSE\) on a CPU with AVX-512: SkylakeX set/,
  );
  // AMD with AVX-512 (Zen 4) takes the same kernels.
  assert.equal(decide({ cpu: genoa, corename: "Zen", config: cfg("0.3.21", "Zen") }), "SkylakeX");
});

test("with AVX2 and FMA: Haswell on Intel, Zen on AMD", () => {
  const intel: CpuInfo = { ...xeon, flags: AVX2 };
  assert.equal(decide({ cpu: intel }), "Haswell");
  assert.equal(decide({ cpu: intel, corename: "Sandybridge" }), "Haswell");
  assert.equal(decide({ cpu: epyc, corename: "Barcelona" }), "Zen");
  assert.equal(decide({ cpu: { ...epyc, vendor: "HygonGenuine" }, corename: "Prescott" }), "Zen");
  // AVX2 without FMA is only AVX to OpenBLAS's kernels.
  assert.equal(decide({ cpu: { ...xeon, flags: AVX2.filter((f) => f !== "fma") }, corename: "Nehalem" }), "Sandybridge");
});

test("a core as good as the CPU, or one this table does not know, is kept", () => {
  for (const core of ["SkylakeX", "Cooperlake", "SapphireRapids", "skylakex"]) assert.equal(decide({ corename: core }), null, core);
  assert.equal(decide({ cpu: epyc, corename: "Zen" }), null);
  assert.equal(decide({ cpu: epyc, corename: "Haswell" }), null);
  assert.equal(decide({ cpu: epyc, corename: "Excavator" }), null);
  assert.equal(decide({ corename: "Zen5" }), null);
  assert.match(
    decideCoretype({ cpu: xeon, corename: "Zen5", config: cfg("0.3.40", "Zen5"), userCoretype: undefined, setting: "auto" }).reason,
    /newer than this table/,
  );
});

test("nothing is set for a CPU without AVX, off x86-64 Linux, or for a BLAS that is not OpenBLAS", () => {
  assert.equal(decide({ cpu: { ...xeon, flags: ["fpu", "sse", "sse2", "sse4_2"] } }), null);
  assert.equal(decide({ cpu: null }), null);
  assert.equal(decide({ corename: null, config: null }), null);
});

test("only a DYNAMIC_ARCH OpenBLAS of 0.3.10 or later is given a core", () => {
  assert.equal(decide({ config: cfg("0.3.21", "Prescott", false) }), null);
  assert.equal(decide({ config: cfg("0.3.9", "Prescott") }), null);
  assert.equal(decide({ config: cfg("0.2.20", "Prescott") }), null);
  assert.equal(decide({ config: cfg("0.3.10", "Prescott") }), "SkylakeX");
  assert.equal(decide({ config: cfg("1.0.0", "Prescott") }), "SkylakeX");
  assert.equal(decide({ config: "some BLAS" }), null);
  assert.deepEqual(openblasVersion(cfg("0.3.31.188.0", "SkylakeX")), [0, 3, 31]);
  assert.equal(openblasVersion(null), null);
});

test("the user's OPENBLAS_CORETYPE is never overridden; TESSERA_BLAS_CORETYPE forces or turns off", () => {
  assert.equal(decide({ userCoretype: "Nehalem" }), null);
  assert.equal(decide({ userCoretype: "Nehalem", setting: "Haswell" }), null);
  assert.match(
    decideCoretype({ cpu: xeon, corename: "Prescott", config: cfg("0.3.21", "Prescott"), userCoretype: "Nehalem", setting: "auto" }).reason,
    /set by the user/,
  );
  assert.equal(decide({ setting: "off" }), null);
  assert.equal(decide({ setting: "Haswell", corename: "SkylakeX" }), "Haswell");
  assert.equal(decide({ setting: "Haswell", cpu: null, corename: null, config: null }), "Haswell");
  // An empty variable is no choice.
  assert.equal(decide({ userCoretype: "" }), "SkylakeX");
});

test("CPU features and core levels", () => {
  const info = cpuInfo("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: fpu avx fma avx2\n\nprocessor\t: 1\n");
  assert.deepEqual(info, { vendor: "GenuineIntel", model: "Intel(R) Xeon(R)", flags: ["fpu", "avx", "fma", "avx2"] });
  assert.equal(cpuInfo("processor : 0\n"), null);
  assert.equal(cpuLevel(AVX512), 3);
  assert.equal(cpuLevel(AVX512.filter((f) => f !== "avx512bw")), 2);
  assert.equal(cpuLevel(AVX2), 2);
  assert.equal(cpuLevel(["avx"]), 1);
  assert.equal(cpuLevel([]), 0);
  assert.equal(coreLevel("Prescott"), 0);
  assert.equal(coreLevel("cooperlake"), 3);
  assert.equal(coreLevel("Zen4"), null);
});

/** A probe with fixed answers, recording what it was asked. */
function fakeProbe(
  own: ProbeResult | null,
  forced: ProbeResult | null,
): { probe: (l: string, c: string | null, check: boolean) => ProbeResult | null; asked: unknown[] } {
  const asked: unknown[] = [];
  return { asked, probe: (l, c, check) => (asked.push([l, c, check]), c === null ? own : forced) };
}

test("a chosen core is used only when it loads and its products check out", () => {
  const base = { cpu: xeon, userCoretype: undefined, setting: "auto" };
  const own = { loaded: true, corename: "Prescott", config: cfg("0.3.21", "Prescott") };
  let p = fakeProbe(own, { loaded: true, corename: "SkylakeX", config: cfg("0.3.21", "SkylakeX"), check: "ok" });
  let r = chooseCoretype("libopenblas.so.0", base, p.probe);
  assert.equal(r?.coretype, "SkylakeX");
  assert.equal(r?.ownCore, "Prescott");
  assert.deepEqual(p.asked, [
    ["libopenblas.so.0", null, false],
    ["libopenblas.so.0", "SkylakeX", true],
  ]);
  p = fakeProbe(own, { loaded: true, corename: "SkylakeX", config: null, check: "dgemm NT gives 3 for 4 at (1, 2)" });
  r = chooseCoretype("libopenblas.so.0", base, p.probe);
  assert.equal(r?.coretype, null);
  assert.match(r!.reason, /products are wrong \(dgemm NT gives 3 for 4 at \(1, 2\)\): kept Prescott/);
  p = fakeProbe(own, null);
  assert.equal(chooseCoretype("libopenblas.so.0", base, p.probe)?.coretype, null);
  // OPENBLAS_CORETYPE names a core this build lacks: OpenBLAS runs another.
  p = fakeProbe(own, { loaded: true, corename: "Haswell", config: null, check: "ok" });
  assert.match(chooseCoretype("libopenblas.so.0", base, p.probe)!.reason, /does not take it \(it runs Haswell\)/);
  // A library that does not load: no decision (the next candidate decides).
  assert.equal(chooseCoretype("libnothere.so", base, fakeProbe({ loaded: false, corename: null, config: null }, null).probe), null);
  // The user's variable: no child at all.
  p = fakeProbe(own, null);
  assert.equal(chooseCoretype("libopenblas.so.0", { ...base, userCoretype: "Haswell" }, p.probe)?.coretype, null);
  assert.deepEqual(p.asked, []);
});

// ---- on this machine -------------------------------------------------------------------

const info = blasInfo();
const cpu = cpuInfo();

test("the BLAS products load is OpenBLAS and runs kernels as wide as this CPU supports", () => {
  assert.ok(info && !("refused" in info), `no usable BLAS: ${JSON.stringify(info)}`);
  assert.ok(info.corename, `${info.path} is not OpenBLAS (no openblas_get_corename)`);
  const level = coreLevel(info.corename);
  if (cpu && level !== null)
    assert.ok(level >= cpuLevel(cpu.flags), `OpenBLAS runs ${info.corename} on a CPU with ${cpu.flags.filter((f) => /avx|fma/.test(f)).join(" ")}`);
  assert.equal(process.env.OPENBLAS_CORETYPE, undefined);
});

test("the core chosen for this CPU loads and computes right products in a child", {
  skip: !cpu || cpuLevel(cpu.flags) < 2 ? "no AVX2 here" : false,
}, () => {
  assert.ok(ffiAvailable());
  const core = cpuLevel(cpu!.flags) === 3 ? "SkylakeX" : cpu!.vendor === "AuthenticAMD" ? "Zen" : "Haswell";
  const r = runProbe("libopenblas.so.0", core, true);
  assert.equal(r?.check, "ok");
  assert.equal(r?.corename?.toLowerCase(), core.toLowerCase());
});

test("TESSERA_BLAS_CORETYPE forces a core, and the variable does not outlive the load", () => {
  const url = new URL("../../src/numpy/tasks/matmul/blas.js", import.meta.url).href;
  const script = `import { blasInfo } from ${JSON.stringify(url)}; const i = blasInfo(); console.log(JSON.stringify([i.corename, process.env.OPENBLAS_CORETYPE ?? null]));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, TESSERA_BLAS_CORETYPE: "Sandybridge", TESSERA_LOG: "kernels" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  assert.deepEqual(JSON.parse(out), ["Sandybridge", null]);
});

test("tessera info names the library, its core and Tessera's decision", () => {
  const cli = new URL("../../src/cli/tessera.js", import.meta.url).pathname;
  const report = JSON.parse(execFileSync(process.execPath, [cli, "info", "--json"], { encoding: "utf8" }));
  assert.equal(report.blas.core, (info as { corename: string }).corename);
  assert.match(report.blas.config, /^OpenBLAS \d+\.\d+\.\d+/);
  assert.ok(
    report.blas.files.some((f: string) => /openblas/i.test(f)),
    report.blas.files.join(", "),
  );
  assert.equal(typeof report.blas.coretype.reason, "string");
  assert.match(report.lapack, /^native: .*(openblas|lapack)/);
  const text = execFileSync(process.execPath, [cli, "info"], { encoding: "utf8", env: { ...process.env, TESSERA_BLAS_CORETYPE: "off" } });
  assert.match(text, /core in use: \w+/);
  assert.match(text, /not set by Tessera: TESSERA_BLAS_CORETYPE=off/);
  assert.match(text, /lapack: +\S+ \(numpy\.linalg\)/);
  const portable = execFileSync(process.execPath, [cli, "info"], { encoding: "utf8", env: { ...process.env, TESSERA_LAPACK: "portable" } });
  assert.match(portable, /lapack: +portable/);
});
