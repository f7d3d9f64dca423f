import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import * as np from "tessera";
import { runtime, DefaultMapper } from "tessera/core";
import type { LaunchInfo, Machine, Mapper, Mapping } from "tessera/core";
import { blasAvailable, blasBackend, setBlasBackend } from "../../src/numpy/tasks/matmul/blas.js";

/** Matrix products against NumPy (test/fixtures/generate_products.py), on BLAS and on the JS gemm. */
const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/products.json", import.meta.url), "utf8"));

type Step = ["T"] | ["get", string] | ["swapaxes", number, number];
type Arr = { dtype: string; shape: number[]; data: unknown[]; view?: Step[] };
type Case = {
  name: string;
  op: "matmul" | "dot" | "vdot" | "inner" | "outer";
  a: Arr;
  b: Arr;
  b_is_a?: boolean;
  expect?: Arr;
  k?: number;
  error?: { type: string; message: string };
};
type Large = {
  name: string;
  batch: number;
  m: number;
  k: number;
  n: number;
  a: number[];
  b: number[];
  sample_index: number[];
  sample: number[];
  row_sums: number[];
};

function value(dtype: string, v: unknown): np.ndarray | number | bigint | boolean | { re: number; im: number } {
  if (dtype === "int64" || dtype === "uint64") return BigInt(v as string);
  if (dtype.startsWith("complex")) {
    const [re, im] = v as [number, number];
    return { re, im };
  }
  return v as number | boolean;
}

function build(x: Arr): np.ndarray {
  const flat = np.array(x.data.map((v) => value(x.dtype, v)) as never, { dtype: x.dtype });
  let a = flat.reshape(x.shape);
  for (const step of x.view ?? []) {
    if (step[0] === "T") a = a.T;
    else if (step[0] === "swapaxes") a = a.swapaxes(step[1], step[2]);
    else a = a.get(step[1]);
  }
  return a;
}

/** Within rtol·k·max(1, |expected|): 1e-12 for 64-bit floats, 1e-5 for 32-bit, 1e-3 for float16. */
function assertClose(got: np.ndarray, want: Arr, k: number, label: string): void {
  assert.equal(got.dtype.name, want.dtype, `${label}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${label}: shape`);
  const g = got.flatValues();
  const dt = want.dtype;
  const rtol = dt === "float64" || dt === "complex128" ? 1e-12 : dt === "float32" || dt === "complex64" ? 1e-5 : 1e-3;
  want.data.forEach((raw, i) => {
    const e = value(dt, raw),
      v = g[i];
    if (dt.startsWith("float") || dt.startsWith("complex")) {
      const [er, ei] = typeof e === "object" ? [(e as { re: number }).re, (e as { im: number }).im] : [e as number, 0];
      const [vr, vi] = typeof v === "object" ? [v.re, v.im] : [v as number, 0];
      const tol = rtol * Math.max(1, k) * Math.max(1, Math.hypot(er, ei));
      assert.ok(
        Math.abs(vr - er) <= tol && Math.abs(vi - ei) <= tol,
        `${label}: element ${i} is ${vr}${vi ? `+${vi}j` : ""}, expected ${er}${ei ? `+${ei}j` : ""}`,
      );
    } else {
      assert.equal(v, e, `${label}: element ${i}`);
    }
  });
}

/** Cuts every matmul launch into 3 pieces, so small products are split by rows, columns or batch. */
class CutMatmul implements Mapper {
  readonly name = "cut-matmul";
  private readonly base = new DefaultMapper();
  mapLaunch(info: LaunchInfo, machine: Machine): Mapping {
    return info.name.startsWith("numpy.matmul") ? { target: "cpu", pieces: 3 } : this.base.mapLaunch(info, machine);
  }
}

const BACKENDS = ["native", "js"] as const;

/** Run `fn` with one gemm backend (and optionally the cutting mapper), restoring both after. */
function withSetup<T>(backend: "native" | "js", cut: boolean, fn: () => T): T {
  const rt = runtime();
  const mapper = rt.mapper;
  setBlasBackend(backend);
  if (cut) rt.setMapper(new CutMatmul());
  try {
    return fn();
  } finally {
    rt.setMapper(mapper);
    setBlasBackend("auto");
  }
}

function run(c: Case): np.ndarray {
  const a = build(c.a);
  const b = c.b_is_a ? (c.b.view ?? []).reduce((x: np.ndarray, s) => (s[0] === "T" ? x.T : x), a) : build(c.b);
  const fn = { matmul: np.matmul, dot: np.dot, vdot: np.vdot, inner: np.inner, outer: np.outer }[c.op];
  return fn(a, b);
}

for (const backend of BACKENDS) {
  for (const cut of [false, true]) {
    test(`NumPy fixtures, ${backend} gemm${cut ? ", matmul cut in 3 pieces" : ""}`, {
      skip: backend === "native" && !blasAvailable() ? "no BLAS library here" : false,
    }, async (t) => {
      for (const c of fx.cases as Case[]) {
        await t.test(`${c.op}: ${c.name}`, () =>
          withSetup(backend, cut, () => {
            if (c.error) {
              assert.throws(
                () => run(c),
                (e: Error) => e.name === c.error!.type && e.message === c.error!.message,
              );
              return;
            }
            assertClose(run(c), c.expect!, c.k ?? 1, c.name);
          }),
        );
      }
    });
  }
}

function formula(rows: number, cols: number, [p, q, r]: number[]): np.ndarray {
  const d = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) d[i * cols + j] = ((i * p + j * q) % r) / r - 0.5;
  return np.array(d).reshape(rows, cols);
}

for (const backend of BACKENDS) {
  for (const L of fx.large as Large[]) {
    test(`${L.name} across workers, ${backend} gemm`, { skip: backend === "native" && !blasAvailable() ? "no BLAS library here" : false }, () =>
      withSetup(backend, false, () => {
        const a = formula(L.batch * L.m, L.k, L.a);
        const c = np.matmul(L.batch > 1 ? a.reshape(L.batch, L.m, L.k) : a, formula(L.k, L.n, L.b));
        assert.deepEqual(c.shape, L.batch > 1 ? [L.batch, L.m, L.n] : [L.m, L.n]);
        const got = c.toTypedArray() as Float64Array;
        L.sample_index.forEach((idx, s) => {
          const e = L.sample[s];
          assert.ok(Math.abs(got[idx] - e) <= 1e-12 * L.k * Math.max(1, Math.abs(e)), `C.flat[${idx}] = ${got[idx]}, expected ${e}`);
        });
        L.row_sums.forEach((e, i) => {
          let s = 0;
          for (let j = 0; j < L.n; j++) s += got[i * L.n + j];
          assert.ok(Math.abs(s - e) <= 1e-12 * L.k * L.n * Math.max(1, Math.abs(e)), `row ${i} sums to ${s}, expected ${e}`);
        });
      }),
    );
  }
}

test("matmul out=: written in place, cast same_kind, checked like NumPy", () => {
  const a = np.arange(6, { dtype: "float64" }).reshape(2, 3),
    b = np.arange(12, { dtype: "float64" }).reshape(3, 4);
  const want = [
    [20, 23, 26, 29],
    [56, 68, 80, 92],
  ];
  const out = np.zeros([2, 4]);
  assert.equal(np.matmul(a, b, { out }), out);
  assert.deepEqual(out.tolist(), want);
  const out32 = np.zeros([2, 4], { dtype: "float32" });
  np.matmul(a, b, { out: out32 });
  assert.deepEqual(out32.tolist(), want);
  // A transposed out is filled as Cᵀ = Bᵀ·Aᵀ.
  const outT = np.zeros([4, 2]);
  np.matmul(a, b, { out: outT.T });
  assert.deepEqual(outT.T.tolist(), want);
  // A stepped out goes through a temporary.
  const wide = np.zeros([2, 8]);
  np.matmul(a, b, { out: wide.get(":, ::2") });
  assert.deepEqual(wide.get(":, ::2").tolist(), want);
  assert.throws(() => np.matmul(a, b, { out: np.zeros([2, 4], { dtype: "int64" }) }), {
    name: "UFuncTypeError",
    message: "Cannot cast ufunc 'matmul' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'",
  });
  assert.throws(() => np.matmul(a, b, { out: np.zeros([2, 5]) }), {
    name: "ValueError",
    message:
      "matmul: Output operand 0 has a mismatch in its core dimension 1, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 5 is different from 4)",
  });
  // out aliasing an input: the product reads the old values.
  const sq = np.array(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: "float64" },
  );
  np.matmul(sq, sq, { out: sq });
  assert.deepEqual(sq.tolist(), [
    [7, 10],
    [15, 22],
  ]);
  // k = 0 gives zeros.
  const z = np.full([2, 2], 5, { dtype: "float64" });
  np.matmul(np.zeros([2, 0]), np.zeros([0, 2]), { out: z });
  assert.deepEqual(z.tolist(), [
    [0, 0],
    [0, 0],
  ]);
});

test("ndarray.matmul / ndarray.dot and dot's out=", () => {
  const a = np.array([
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(
    a
      .matmul([
        [1, 0],
        [0, 1],
      ])
      .tolist(),
    [
      [1, 2],
      [3, 4],
    ],
  );
  assert.deepEqual(a.dot([1, 1]).tolist(), [3, 7]);
  const out = np.zeros([2], { dtype: "int64" });
  assert.equal(np.dot(a, [1, 1], { out }), out);
  assert.deepEqual(out.tolist(), [3, 7]);
  assert.throws(() => np.dot(a, [1, 1], { out: np.zeros([2]) }), {
    message: "output array is not acceptable (must have the right datatype, number of dimensions, and be a C-Array)",
  });
  assert.deepEqual(np.dot(3, a).tolist(), [
    [3, 6],
    [9, 12],
  ]);
});

test("gemm backend: setter, and TESSERA_BLAS=js", () => {
  assert.throws(() => setBlasBackend("bogus" as never));
  setBlasBackend("js");
  assert.equal(blasBackend(), "js");
  setBlasBackend("auto");
  assert.equal(blasBackend(), process.env.TESSERA_BLAS !== "js" && blasAvailable() ? "native" : "js");
  const url = new URL("../../src/numpy/tasks/matmul/blas.js", import.meta.url).href;
  const out = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", `import { blasBackend } from ${JSON.stringify(url)}; console.log(blasBackend());`],
    { env: { ...process.env, TESSERA_BLAS: "js" }, encoding: "utf8" },
  );
  assert.equal(out.trim(), "js");
});

test("X.T @ r for a tall X is summed from blocks of rows (split along k): equal to a plain loop", () => {
  const rng = np.random.default_rng(5);
  // k not a multiple of the block count (a tail of rows), one column, a float32 case, an out=.
  for (const [k, m, dtype] of [
    [100_003, 32, "float64"],
    [65_537, 1, "float64"],
    [131_075, 7, "float32"],
  ] as const) {
    const X = (rng.standard_normal([k, m]) as np.ndarray).astype(dtype);
    const r = (rng.standard_normal([k]) as np.ndarray).astype(dtype);
    const got = np.matmul(X.T, r);
    assert.deepEqual(got.shape, [m]);
    assert.equal(got.dtype.name, dtype);
    const xs = X.toTypedArray() as Float64Array,
      rs = r.toTypedArray() as Float64Array;
    const want = new Float64Array(m);
    for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) want[j] += xs[i * m + j] * rs[i];
    // Sums of k products of unit normals: errors ~ eps·sqrt(k) of their size.
    const tol = (dtype === "float32" ? 1e-4 : 1e-11) * Math.sqrt(k);
    const g = got.toTypedArray() as Float64Array;
    for (let j = 0; j < m; j++) assert.ok(Math.abs(g[j] - want[j]) <= tol, `${dtype} k=${k} column ${j}: ${g[j]} vs ${want[j]}`);
    const out = np.zeros([m], { dtype });
    np.matmul(X.T, r, { out });
    assert.deepEqual(out.tolist(), got.tolist());
  }
});

test("matrix-vector products, A and A.T, every remainder of rows and lanes, stepped x and out: equal to a plain loop", () => {
  const rng = np.random.default_rng(9);
  for (const dtype of ["float64", "float32"] as const)
    for (const [m, k] of [
      [7, 13],
      [130, 1003],
      [1001, 67],
      [66, 4001],
      // Narrow rows: the widths with a copy of their own, their neighbours, odd and even row counts.
      ...[1, 2, 3, 5, 8, 9, 15, 16, 17, 20, 31, 32, 33, 63, 64, 65].flatMap((k) => [
        [301, k],
        [300, k],
      ]),
    ]) {
      const A = (rng.standard_normal([m, k]) as np.ndarray).astype(dtype);
      const v = (rng.standard_normal([2 * k]) as np.ndarray).astype(dtype).get("::2");
      const w = (rng.standard_normal([2 * m]) as np.ndarray).astype(dtype).get("::-2");
      const a = A.toTypedArray() as Float64Array,
        x = v.toTypedArray() as Float64Array,
        z = w.toTypedArray() as Float64Array;
      const Ax = new Float64Array(m),
        ATz = new Float64Array(k);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < k; j++) {
          Ax[i] += a[i * k + j] * x[j];
          ATz[j] += a[i * k + j] * z[i];
        }
      const tol = dtype === "float32" ? 2e-3 : 1e-10;
      const close = (got: np.ndarray, want: Float64Array, what: string) =>
        (got.toTypedArray() as Float64Array).forEach((g, i) =>
          assert.ok(Math.abs(g - want[i]) <= tol * (1 + Math.abs(want[i])), `${what} ${dtype} ${m}x${k} [${i}]`),
        );
      close(np.matmul(A, v), Ax, "A @ x");
      close(np.matmul(A.T, w), ATz, "A.T @ z");
      const out = np.zeros([2 * m], { dtype });
      np.matmul(A, v, { out: out.get("1::2") });
      close(out.get("1::2"), Ax, "A @ x into a stepped out");
    }
});

test("products of empty vectors are 0 in the operands' dtype, as NumPy's", () => {
  for (const dtype of ["float64", "float32", "complex128", "int64"] as const) {
    const a = np.zeros([0], { dtype }),
      b = np.zeros([0], { dtype });
    for (const [name, f] of [
      ["matmul", np.matmul],
      ["dot", np.dot],
      ["vdot", np.vdot],
    ] as const) {
      const r = (f as (x: np.ndarray, y: np.ndarray) => np.ndarray)(a, b);
      assert.equal(r.dtype.name, dtype, `${name} ${dtype}`);
      assert.deepEqual(r.shape, [], `${name} ${dtype}`);
      assert.equal(Number(dtype === "complex128" ? (r.real as np.ndarray).item() : r.item()), 0, `${name} ${dtype}`);
    }
  }
  // A dot product that is a reduction reads views with steps and offsets like any other.
  const x = np.arange(10.0);
  assert.equal(np.matmul(x.get("1::2"), x.get("::-2")).item(), 1 * 9 + 3 * 7 + 5 * 5 + 7 * 3 + 9 * 1);
});

test("np.inner with an empty last axis: zeros of the leading shapes, as NumPy's", () => {
  assert.equal(np.inner(np.zeros([0]), np.zeros([0])).item(), 0);
  const r = np.inner(np.zeros([2, 0]), np.zeros([3, 0]));
  assert.deepEqual(r.shape, [2, 3]);
  assert.deepEqual(r.tolist(), [
    [0, 0, 0],
    [0, 0, 0],
  ]);
});
