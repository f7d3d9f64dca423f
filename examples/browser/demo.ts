/**
 * The browser demo's program, run in a dedicated Web Worker (index.html starts it), so that
 * Tessera's synchronous API works: Black-Scholes, a fused elementwise chain with its sum, and
 * a float32 matmul, on WebGPU when asked for (or, with "auto", when the browser gives an
 * adapter) and on CPU workers otherwise. Posts the numbers, the timings, where the launches
 * ran, and the same numbers computed in plain JavaScript.
 */
import * as np from "tessera";
import { ready, webgpuAvailable, type Mapper } from "tessera/core";
import { blackScholes } from "../blackscholes_model.js";
import { DEFAULT_SIZES, type DemoNumbers, type DemoSizes, linearSystem, matrix, mismatches, optionInputs, reference } from "./workload.js";

export interface DemoRequest {
  backend: "webgpu" | "cpu" | "auto";
  sizes?: Partial<DemoSizes>;
  cpus?: number;
}
export interface DemoResult {
  backend: "webgpu" | "cpu";
  adapter: string | null;
  cpus: number;
  sizes: DemoSizes;
  numbers: DemoNumbers;
  expected: DemoNumbers;
  mismatches: string[];
  /** Launches by where the mapper sent them: webgpu, cpu (worker threads), inline. */
  launches: Record<string, number>;
  ms: Record<string, number>;
}

function run(sizes: DemoSizes, launches: Record<string, number>): { numbers: DemoNumbers; ms: Record<string, number> } {
  const ms: Record<string, number> = {};
  const time = <T>(name: string, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    ms[name] = performance.now() - t0;
    return r;
  };
  const { S: s, X: x, T: t } = optionInputs(sizes.options);
  const [S, X, T] = time("upload", () => [np.array(s), np.array(x), np.array(t)]);
  for (const k of Object.keys(launches)) launches[k] = 0;
  const [callSum, putSum] = time("blackscholes", () => {
    const [call, put] = blackScholes(S, X, T);
    return [Number(call.sum()), Number(put.sum())];
  });
  const chainSum = time("chain", () =>
    Number(
      np.sum(
        np
          .sqrt(S.mul(S).add(X.mul(X)))
          .mul(0.5)
          .sub(T),
      ),
    ),
  );
  const m = sizes.matrix;
  const A = np.array(matrix(m, 0)).reshape(m, m),
    B = np.array(matrix(m, 5)).reshape(m, m);
  const [c00, cLast, trace, cSum] = time("matmul", () => {
    const C = np.matmul(A, B);
    const diagonal = C.reshape(m * m).get(np.slice(null, null, m + 1));
    return [Number(C.get(0, 0)), Number(C.get(m - 1, m - 2)), Number(diagonal.sum()), Number(C.sum())];
  });
  const sys = linearSystem();
  const solveSum = time("linalg.solve", () => {
    const n = sys.v.length;
    return Number(np.linalg.solve(np.array(sys.M).reshape(n, n), np.array(sys.v)).sum());
  });
  const fftEnergy = time("fft", () => {
    const f = np.abs(np.fft.fft(S.astype("float64")));
    return Number(np.sum(f.mul(f))) / S.size;
  });
  return { numbers: { callSum, putSum, chainSum, c00, cLast, trace, cSum, solveSum, fftEnergy }, ms };
}

/** Run the demo here (a Worker, or inline on a page's main thread). */
export async function main(req: DemoRequest): Promise<DemoResult> {
  const sizes = { ...DEFAULT_SIZES, ...req.sizes };
  const gpus = req.backend === "webgpu" || (req.backend === "auto" && (await webgpuAvailable())) ? 1 : 0;
  const rt = await ready({ gpus, cpus: req.cpus });
  // Count where the default mapper sends each launch (a wrapper is a Mapper like any other).
  const launches: Record<string, number> = { webgpu: 0, cpu: 0, inline: 0 };
  const base: Mapper = rt.mapper;
  rt.setMapper({
    name: "counting",
    mapLaunch(info, machine) {
      const m = base.mapLaunch(info, machine);
      launches[m.target] = (launches[m.target] ?? 0) + 1;
      return m;
    },
  });
  const { numbers, ms } = run(sizes, launches);
  const expected = reference(sizes);
  return {
    backend: gpus ? "webgpu" : "cpu",
    adapter: rt.device ? rt.device.description : null,
    cpus: rt.machine.cpus,
    sizes,
    numbers,
    expected,
    mismatches: mismatches(numbers, expected),
    launches,
    ms,
  };
}

const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  onmessage: ((e: MessageEvent<DemoRequest>) => void) | null;
  postMessage(m: unknown): void;
};
if (scope.WorkerGlobalScope !== undefined) {
  scope.onmessage = (e) => {
    main(e.data).then(
      (result) => scope.postMessage({ result }),
      (err: Error) => scope.postMessage({ error: `${err.name}: ${err.message}` }),
    );
  };
}
