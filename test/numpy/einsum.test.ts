import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "tessera";
import { runtime, DefaultMapper } from "tessera/core";
import type { LaunchInfo, Machine, Mapper, Mapping } from "tessera/core";
import { linalgTensordot } from "../../src/numpy/tensor_products.js";

/** np.einsum, np.einsum_path, np.tensordot and np.kron against NumPy (test/fixtures/generate_einsum.py). */
const fx = JSON.parse(readFileSync(new URL("../../../test/fixtures/einsum.json", import.meta.url), "utf8"));

type Arr = { dtype: string; shape: number[]; data: unknown[] };
type Arg = string | { arr: Arr } | { sub: (number | string)[] };
type Err = { type: string; message: string };
type Case = {
  name: string;
  args: Arg[];
  kwargs: Record<string, unknown>;
  out?: { dtype: string; shape: number[] };
  expect?: Arr;
  k?: number;
  error?: Err;
};

function value(dtype: string, v: unknown): number | bigint | boolean | { re: number; im: number } {
  if (dtype === "int64" || dtype === "uint64") return BigInt(v as string);
  if (dtype.startsWith("complex")) {
    const [re, im] = v as [number, number];
    return { re, im };
  }
  return v as number | boolean;
}

function build(x: Arr): np.ndarray {
  return np.array(x.data.map((v) => value(x.dtype, v)) as never, { dtype: x.dtype }).reshape(x.shape);
}

function arg(a: Arg): unknown {
  if (typeof a === "string") return a;
  if ("arr" in a) return build(a.arr);
  return a.sub;
}

/** Within rtol·k·max(1, |expected|): 1e-12 for 64-bit floats, 1e-5 for 32-bit. */
function assertClose(got: np.ndarray, want: Arr, k: number, label: string): void {
  assert.equal(got.dtype.name, want.dtype, `${label}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${label}: shape`);
  const g = got.flatValues();
  const dt = want.dtype;
  const rtol = dt === "float64" || dt === "complex128" ? 1e-12 : 1e-5;
  want.data.forEach((raw, i) => {
    const e = value(dt, raw),
      v = g[i];
    if (dt.startsWith("float") || dt.startsWith("complex")) {
      const [er, ei] = typeof e === "object" ? [e.re, e.im] : [e as number, 0];
      const [vr, vi] = typeof v === "object" ? [v.re, v.im] : [v as number, 0];
      const tol = rtol * Math.max(1, k) * Math.max(1, Math.hypot(er, ei));
      assert.ok(Math.abs(vr - er) <= tol && Math.abs(vi - ei) <= tol, `${label}: element ${i} is ${vr}+${vi}j, expected ${er}+${ei}j`);
    } else {
      assert.equal(v, e, `${label}: element ${i}`);
    }
  });
}

function assertError(f: () => unknown, want: Err, label: string): void {
  assert.throws(f, (e: Error) => {
    assert.equal(e.name, want.type, `${label}: error class (${e.message})`);
    assert.equal(e.message, want.message, `${label}: message`);
    return true;
  });
}

test("np.einsum: NumPy fixtures", async (t) => {
  for (const c of fx.cases as Case[]) {
    await t.test(c.name, () => {
      const call = () => {
        const args = c.args.map(arg);
        const kwargs: Record<string, unknown> = { ...c.kwargs };
        let out: np.ndarray | undefined;
        if (c.out) kwargs.out = out = np.zeros(c.out.shape, { dtype: c.out.dtype });
        const r = (np.einsum as (...a: unknown[]) => np.ndarray)(...args, kwargs);
        if (out) assert.equal(r, out, "returns out");
        return r;
      };
      // Twice: the second call runs the plan the first cached (same subscripts, shapes, dtypes).
      for (const again of ["", " (again)"]) {
        if (c.error) assertError(call, c.error, c.name + again);
        else assertClose(call(), c.expect!, c.k ?? 1, c.name + again);
      }
    });
  }
});

test("np.einsum_path: NumPy's paths and reports", async (t) => {
  for (const c of fx.paths as {
    name: string;
    subscripts: string;
    shapes: number[][];
    optimize: unknown;
    path?: unknown[];
    report?: string;
    error?: Err;
  }[]) {
    await t.test(c.name, () => {
      const call = () => np.einsum_path(c.subscripts, ...c.shapes.map((s) => np.ones(s)), { optimize: c.optimize as never }) as [unknown[], string];
      if (c.error) return assertError(call, c.error, c.name);
      const [path, report] = call();
      assert.deepEqual(path, c.path);
      if (c.report !== undefined) assert.equal(report, c.report);
    });
  }
});

test("np.tensordot: NumPy fixtures", async (t) => {
  for (const c of fx.tensordot as { name: string; a: Arr; b: Arr; axes?: unknown; expect?: Arr; error?: Err }[]) {
    await t.test(c.name, () => {
      const call = () => (c.axes === undefined ? np.tensordot(build(c.a), build(c.b)) : np.tensordot(build(c.a), build(c.b), c.axes as never));
      if (c.error) assertError(call, c.error, c.name);
      else assertClose(call(), c.expect!, c.a.data.length, c.name);
    });
  }
});

test("np.kron: NumPy fixtures", async (t) => {
  for (const c of fx.kron as { name: string; a: Arr; b: Arr; expect: Arr }[]) {
    await t.test(c.name, () => assertClose(np.kron(build(c.a), build(c.b)), c.expect, 1, c.name));
  }
});

/** Records the name of every launch the mapper is asked about. */
class Recorder implements Mapper {
  readonly name = "recorder";
  readonly names: string[] = [];
  private readonly base = new DefaultMapper();
  mapLaunch(info: LaunchInfo, machine: Machine): Mapping {
    this.names.push(info.name);
    return this.base.mapLaunch(info, machine);
  }
}

function launches(f: () => np.ndarray): string[] {
  const rt = runtime();
  const prev = rt.mapper;
  const rec = new Recorder();
  rt.setMapper(rec);
  try {
    f().item(0);
  } finally {
    rt.setMapper(prev);
  }
  return rec.names;
}

test("einsum('bij,bjk->bik') is one batched matmul, einsum('ij,ij->i') one fused kernel", () => {
  const rng = np.random.default_rng(1);
  const a = rng.random([4, 30, 20]) as np.ndarray,
    b = rng.random([4, 20, 10]) as np.ndarray;
  a.item(0);
  b.item(0);
  const names = launches(() => np.einsum("bij,bjk->bik", a, b));
  assert.deepEqual(
    names.map((n) => n.startsWith("numpy.matmul")),
    [true],
    names.join(", "),
  );
  const x = rng.random([300, 40]) as np.ndarray,
    y = rng.random([300, 40]) as np.ndarray;
  x.item(0);
  y.item(0);
  const fused = launches(() => np.einsum("ij,ij->i", x, y));
  assert.equal(fused.length, 1, fused.join(", "));
  assertClose(
    np.einsum("ij,ij->i", x, y),
    { dtype: "float64", shape: [300], data: np.sum(np.multiply(x, y), { axis: 1 }).flatValues() as number[] },
    40,
    "ij,ij->i",
  );
});

test("einsum: a single operand with nothing summed is a view (writes go through)", () => {
  const a = np.zeros([3, 3]);
  const d = np.einsum("ii->i", a);
  d.set("...", 7);
  assert.deepEqual(a.tolist(), [
    [7, 0, 0],
    [0, 7, 0],
    [0, 0, 7],
  ]);
  const t = np.einsum("ij->ji", a);
  t.set(0, 1, 5);
  assert.equal(a.item(1, 0), 5);
});

test("einsum_path returns the contraction list with einsum_call=True", () => {
  const ops = [np.ones([2, 3]), np.ones([3, 4]), np.ones([4, 5])];
  const [operands, list] = np.einsum_path("ij,jk,kl->il", ...ops, { einsum_call: true }) as unknown as [np.ndarray[], [number[], string, string[]][]];
  assert.equal(operands.length, 3);
  assert.deepEqual(list, [
    [[2, 1], "kl,jk->jl", ["ij", "jl"]],
    [[1, 0], "jl,ij->il", ["il"]],
  ]);
});

test("np.linalg.tensordot: x1, x2 positional only, axes keyword only", () => {
  const a = np.arange(24).reshape([2, 3, 4]),
    b = np.arange(12).reshape([4, 3]);
  assert.deepEqual(
    linalgTensordot(a, b, {
      axes: [
        [1, 2],
        [1, 0],
      ],
    }).tolist(),
    np
      .tensordot(a, b, [
        [1, 2],
        [1, 0],
      ])
      .tolist(),
  );
  assert.deepEqual(linalgTensordot(np.arange(3), np.arange(3), { axes: 1 }).tolist(), 5);
  assert.throws(() => (linalgTensordot as unknown as (...a: unknown[]) => unknown)(a, b, 1), TypeError);
});

test("einsum('bij,bjk->bik') and einsum('ij,jk->ik') give C-contiguous results without copies", () => {
  const a = np.ones([3, 4, 5]),
    b = np.ones([3, 5, 2]);
  assert.equal(np.einsum("bij,bjk->bik", a, b)._store.isContiguous(), true);
  assert.equal(np.einsum("ij,jk->ik", np.ones([4, 5]), np.ones([5, 2]))._store.isContiguous(), true);
});
