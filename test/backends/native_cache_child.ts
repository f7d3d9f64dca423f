/**
 * The program native_cache.test.ts runs in child processes (each with its own
 * TESSERA_CACHE): sums of 10^6 elements, big enough for the C kernels, printed as JSON.
 * TESSERA_NATIVE_CACHE_PROGRAM lists which, each its own kernel: "sum" (np.arange(1e6).sum()),
 * "triple" ((np.arange(1e6) * 3).sum()), "plus7" ((np.arange(1e6) + 7).sum()). Without it
 * this file does nothing (so the plain test runner may load it).
 */
const program = process.env.TESSERA_NATIVE_CACHE_PROGRAM;
if (program) {
  const np = await import("tessera");
  const a = np.arange(1e6);
  const sums: Record<string, () => unknown> = { sum: () => a.sum(), triple: () => a.mul(3).sum(), plus7: () => a.add(7).sum() };
  const out: Record<string, number> = {};
  for (const name of program.split(",")) out[name] = Number(sums[name]());
  process.stdout.write(JSON.stringify(out));
}
