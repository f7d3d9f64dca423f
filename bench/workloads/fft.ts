import * as np from "tessera";
import { defineWorkload, force, fmtInt } from "../workload.js";

/** np.fft.fft of one long complex signal: a power of two, and a prime (Bluestein's algorithm). */
function fftWorkload(name: string, full: number, quick: number) {
  return defineWorkload({
    name,
    description: `np.fft.fft(x), complex128, one signal`,
    check: "float64",
    params: (q: boolean) => {
      const n = q ? quick : full;
      return { n, label: fmtInt(n) };
    },
    setup({ n }, seed) {
      const rng = np.random.default_rng(seed);
      const re = rng.standard_normal([n]) as np.ndarray;
      const im = rng.standard_normal([n]) as np.ndarray;
      const x = re.add(im.mul({ re: 0, im: 1 }));
      force(x);
      return { x };
    },
    run({ x }) {
      const f = np.fft.fft(x);
      force(f);
      return f;
    },
    checksum: (_s, f) => Number(np.abs(f.get("::97")).sum()),
    numpy: ({ n }, seed) => ({
      setup: `rng = np.random.default_rng(${seed})\nre = rng.standard_normal(${n}); im = rng.standard_normal(${n})\nx = re + im * 1j`,
      body: `f = np.fft.fft(x)\nf[0]`,
      checksum: `result = float(np.abs(f[::97]).sum())`,
    }),
  });
}

export const fftPow2 = fftWorkload("fft_pow2", 2 ** 20, 2 ** 17);
export const fftPrime = fftWorkload("fft_prime", 1_000_003, 100_003);

/** np.fft.rfft of a batch of real rows (every row's transform, cut across workers). */
export const rfftBatch = defineWorkload({
  name: "rfft_batch",
  description: "np.fft.rfft(a) along the last axis, float64 rows",
  check: "float64",
  params: (quick: boolean) => {
    const rows = quick ? 128 : 1024,
      n = 4096;
    return { rows, n, label: `${rows}x${n}` };
  },
  setup({ rows, n }, seed) {
    const a = np.random.default_rng(seed).standard_normal([rows, n]) as np.ndarray;
    force(a);
    return { a };
  },
  run({ a }) {
    const f = np.fft.rfft(a);
    force(f);
    return f;
  },
  checksum: (_s, f) => Number(np.abs(f.get("::7, ::13")).sum()),
  numpy: ({ rows, n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).standard_normal((${rows}, ${n}))`,
    body: `f = np.fft.rfft(a)\nf[0, 0]`,
    checksum: `result = float(np.abs(f[::7, ::13]).sum())`,
  }),
});

/** np.fft.fft2 of a complex image: rows (contiguous lines), then columns (strided lines). */
export const fft2d = defineWorkload({
  name: "fft2",
  description: "np.fft.fft2(x), complex128",
  check: "float64",
  params: (quick: boolean): { n: number; rows?: number; label: string } => {
    const n = quick ? 1024 : 4096;
    return { n, label: `${n}x${n}` };
  },
  setup({ n, rows = n }, seed) {
    const rng = np.random.default_rng(seed);
    const x = (rng.standard_normal([rows, n]) as np.ndarray).add((rng.standard_normal([rows, n]) as np.ndarray).mul({ re: 0, im: 1 }));
    force(x);
    return { x };
  },
  run({ x }) {
    const f = np.fft.fft2(x);
    force(f);
    return f;
  },
  checksum: (_s, f) => Number(np.abs(f.get("::61, ::67")).sum()),
  numpy: ({ n, rows = n }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\nx = rng.standard_normal((${rows}, ${n})) + rng.standard_normal((${rows}, ${n})) * 1j`,
    body: `f = np.fft.fft2(x)\nf[0, 0]`,
    checksum: `result = float(np.abs(f[::61, ::67]).sum())`,
  }),
});
