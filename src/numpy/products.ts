import { runtime, type Store, alignDims, ir } from "../core/index.js";
import { reduction } from "./reduction.js";
import { blasBackend, blasLayout } from "./tasks/matmul/blas.js";
import { def, binding } from "./signature.js";
import { arg, unsupported } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { type DType, canCast, dtype as toDType, resultType } from "./dtypes.js";
import type { DTypeLike } from "./dtypes.js";
import { ValueError, UFuncTypeError } from "./errors.js";
import { checkObjectOperands } from "./ufunc.js";
import { formatShape } from "./broadcast.js";
import { numpyLibrary } from "./tasks/library.js";
import { copyInto } from "./copy.js";
import { newStore } from "./alloc.js";
import { conjugate, multiply } from "./ufuncs.js";
import { moveaxis, ravel, reshape } from "./array_manipulation.js";

/**
 * Matrix products (np.matmul, np.dot, np.vdot, np.inner, np.outer). Every product becomes
 * one `matmul` task over a (...batch, m, n) result that the runtime cuts across workers;
 * float and complex blocks go to BLAS gemm, other dtypes to exact loops (see tasks/matmul/cpu.ts).
 */

const SIG = "(n?,k),(k,m?)->(n?,m?)";
const prod = (s: readonly number[]) => s.reduce((p, x) => p * x, 1);
const isBlasDType = (d: DType) => (d.isFloat && d.name !== "float16") || d.isComplex;

export interface MatmulOptions {
  /** Write the result here (its shape must be the result's). */
  out?: ndarray;
  /** Compute in this dtype (inputs are cast to it). */
  dtype?: DTypeLike;
}

/** Whether the last two dims of `s` form a matrix BLAS can read in place. */
function blasReadable(s: Store): boolean {
  const nd = s.ndim;
  return blasLayout(s.shape[nd - 2], s.shape[nd - 1], s.strides[nd - 2], s.strides[nd - 1]) !== null;
}

/** The parameters of a two-operand gufunc (matmul, vecdot), as NumPy prints them. */
const GUFUNC2_PARAMS =
  "x1, x2, /, out=None, *, axes=<no value>, axis=<no value>, keepdims=False, casting='same_kind', order='K', dtype=None, subok=True, signature=None";
const GUFUNC2_ARGS = {
  x1: arg.array,
  x2: arg.array,
  out: arg.out,
  axes: arg.any,
  axis: arg.any,
  keepdims: arg.bool,
  casting: arg.casting,
  order: arg.order,
  dtype: arg.dtype,
  subok: arg.bool,
  signature: arg.any,
};

/** np.matmul(a, b): NumPy's gufunc (n?,k),(k,m?)->(n?,m?) with broadcast batch dims. */
export const matmul = binding(
  def("matmul", GUFUNC2_PARAMS, GUFUNC2_ARGS, (p): ndarray => {
    if (p.axes !== undefined || p.axis !== undefined) unsupported("matmul", "axes=/axis=");
    if (p.keepdims) unsupported("matmul", "keepdims=True");
    if (p.signature !== null) unsupported("matmul", "signature=");
    if (p.casting !== "same_kind") unsupported("matmul", `casting='${p.casting}'`);
    checkObjectOperands("matmul", [p.x1, p.x2]);
    return matmul_(p.x1, p.x2, { out: p.out ?? undefined, dtype: p.dtype ?? undefined });
  }),
  { style: "ufunc" },
);
function matmul_(x1: ArrayLike, x2: ArrayLike, opts: MatmulOptions = {}): ndarray {
  let a = asarray(x1),
    b = asarray(x2);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ValueError(
      `matmul: Input operand ${a.ndim === 0 ? 0 : 1} does not have enough dimensions (has 0, gufunc core with signature ${SIG} requires 1)`,
    );
  }
  // A short dot product of two vectors (the common small case) skips the shape work below.
  if (a.ndim === 1 && b.ndim === 1 && opts.out === undefined && a._store.shape[0] <= SMALL_DOT) {
    const dt = opts.dtype !== undefined ? toDType(opts.dtype) : resultType([a.dtype, b.dtype]);
    if (isBlasDType(dt) && a._store.shape[0] === b._store.shape[0]) {
      if (a.dtype !== dt) a = a.astype(dt);
      if (b.dtype !== dt) b = b.astype(dt);
      return dotReduce(a, b, dt);
    }
  }
  // 1-D operands gain a unit dim (a as a row, b as a column) that the result then drops.
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : a.shape;
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : b.shape;
  const m = aShape[aShape.length - 2],
    k = aShape[aShape.length - 1];
  const kb = bShape[bShape.length - 2],
    n = bShape[bShape.length - 1];
  if (kb !== k)
    throw new ValueError(
      `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${SIG} (size ${kb} is different from ${k})`,
    );
  const batch = batchShape(a.shape, aShape.slice(0, -2), b.shape, bShape.slice(0, -2), [a.ndim > 1 ? m : -1, b.ndim > 1 ? n : -1]);
  const core = [...(a.ndim > 1 ? [m] : []), ...(b.ndim > 1 ? [n] : [])];
  const shape = [...batch, ...core];

  const dt = opts.dtype !== undefined ? toDType(opts.dtype) : resultType([a.dtype, b.dtype]);
  const out = opts.out;
  if (out !== undefined) {
    if (!(out instanceof ndarray)) throw new TypeError("return arrays must be of ArrayType");
    checkOutShape(out.shape, batch, core);
    if (!canCast(dt, out.dtype, "same_kind"))
      throw new UFuncTypeError(
        `Cannot cast ufunc 'matmul' output from dtype('${dt.name}') to dtype('${out.dtype.name}') with casting rule 'same_kind'`,
      );
  }
  if (prod(shape) === 0) return out ?? new ndarray(newStore(shape, dt));
  if (a.dtype !== dt) a = a.astype(dt);
  if (b.dtype !== dt) b = b.astype(dt);
  const split = batch.length === 0 && b.ndim === 1 ? splitK(a, b, dt) : null;
  if (split) {
    if (out === undefined) return split;
    copyInto(out, split);
    return out;
  }

  const full = [...batch, m, n];
  let A = a.ndim === 1 ? a._store.promote(0, 1) : a._store;
  let B = b.ndim === 1 ? b._store.promote(1, 1) : b._store;
  // Stepped or broadcast matrices are copied once here, so that the tasks can hand every
  // block straight to gemm (row-major or transposed, with a leading dimension).
  if (isBlasDType(dt) && !blasReadable(A)) A = copyStore(A);
  if (isBlasDType(dt) && !blasReadable(B)) B = copyStore(B);
  A = A.broadcast([...batch, m, k]);
  B = B.broadcast([...batch, k, n]);

  // Write into `out` directly when it has the dtype and a layout gemm can fill; else into
  // a fresh result that is then copied (and cast) into it.
  let C: Store;
  const direct =
    out !== undefined &&
    out.dtype === dt &&
    !out._store.overlaps(A) &&
    !out._store.overlaps(B) &&
    (!isBlasDType(dt) || blasReadable(outView(out._store, a.ndim, b.ndim)));
  if (direct) C = outView(out!._store, a.ndim, b.ndim);
  else C = newStore(full, dt);

  if (k === 0) {
    copyInto(new ndarray(C), 0);
  } else {
    const rt = runtime();
    rt.submit(
      numpyLibrary().launch("matmul", {
        args: [
          { store: A, privilege: "read" },
          { store: B, privilege: "read" },
          { store: C, privilege: "write" },
        ],
        scalars: [blasBackend()],
        // C is cut into a grid of row x column blocks; a point computes its block from the
        // matching rows of A and columns of B only.
        grid: prod(batch) === 1 ? [batch.length, batch.length + 1] : undefined,
        constraints: [
          alignDims(A, C, [...batch.map((_, d) => [d, d] as const), [batch.length, batch.length]]),
          alignDims(B, C, [...batch.map((_, d) => [d, d] as const), [batch.length + 1, batch.length + 1]]),
        ],
        // Multiply-adds, so a matrix-vector product (small C, large k) is still spread out.
        cost: C.size * k,
      }),
    );
  }
  if (direct) return out!;
  const result = new ndarray(C.reshape(shape)!);
  if (out === undefined) return result;
  copyInto(out, result);
  return out;
}

/**
 * Longest vectors whose dot product is one multiply-sum reduction rather than a matmul task:
 * a reduction of a few thousand elements runs at once (eager.ts) on a cached kernel, and
 * lazy operands fuse into it (`(r - q) @ (r - q)`); measured, 100 float64 elements: 3.6 µs as
 * a matmul task (5.2 through BLAS), about 2 µs as a reduction. Longer ones stay on BLAS.
 */
const SMALL_DOT = 4096;
/** The product expression of a dot reduction, one object per dtype (kernels are found by it). */
const DOT_VALUES = new Map<string, ir.Expr>();

/** `a @ b` of two vectors of float or complex dtype `dt`, as sum(a * b) into a 0-d array (0 when empty). */
function dotReduce(a: ndarray, b: ndarray, dt: DType): ndarray {
  let value = DOT_VALUES.get(dt.name);
  if (!value) DOT_VALUES.set(dt.name, (value = ir.binary("mul", ir.load(0, dt.name), ir.load(1, dt.name))));
  return reduction("sum", a, [0], dt, value, [b]);
}

/** Below this many rows a transposed matrix-vector product is not split. */
const SPLIT_K_MIN = 1 << 16;
/** Widest op(A) (its m) whose product is split along k. */
const SPLIT_K_MAX_M = 64;

/**
 * `A @ v` for a tall, narrow X stored row-major and read transposed (A = X.T, as in a
 * gradient `X.T @ r`): the result has only m elements, so cutting it gives each worker a
 * few columns of every row of X, and each streams nearly all of X. Cut along k instead: each
 * of P workers (over all ranks) multiplies its block of X's rows into a partial result, and
 * the P partials are summed. Null when the product is not of that shape.
 */
function splitK(a: ndarray, b: ndarray, dt: DType): ndarray | null {
  const [m, k] = a.shape;
  const s = a._store;
  if (a.ndim !== 2 || !dt.isFloat || dt.name === "float16" || k < SPLIT_K_MIN || m > SPLIT_K_MAX_M || s.strides[0] !== 1 || s.strides[1] < m)
    return null;
  const rt = runtime();
  const P = rt.machine.cpus * rt.machine.ranks;
  if (P < 2) return null;
  const kc = Math.floor(k / P),
    k0 = kc * P;
  // X's first k0 rows as P blocks (a view: only the row dim is split), each read transposed.
  const blocks = new ndarray((s.transpose([1, 0]).slice(0, 0, k0).reshape([P, kc, m]) as Store).transpose([0, 2, 1]));
  const parts = matmul_(blocks, b.get(`:${k0}`).reshape(P, kc, 1));
  let y = reduction("sum", parts, [0], dt, ir.castLoad(dt.name, dt.name)).reshape(m);
  // The last k - k0 rows, fewer than P.
  if (k0 < k) y = y.add(matmul_(a.get(`:, ${k0}:`), b.get(`${k0}:`)));
  return y;
}

/** `out` seen with the result's full (...batch, m, n) shape. */
function outView(s: Store, aNdim: number, bNdim: number): Store {
  let v = s;
  if (aNdim === 1) v = v.promote(v.ndim - (bNdim === 1 ? 0 : 1), 1);
  if (bNdim === 1) v = v.promote(v.ndim, 1);
  return v;
}

function copyStore(s: Store): Store {
  const t = newStore(s.shape, s.dtype);
  copyInto(new ndarray(t), new ndarray(s));
  return t;
}

/** Broadcast batch dims, with NumPy's error naming the remapped operand shapes. */
function batchShape(
  aFull: readonly number[],
  a: readonly number[],
  bFull: readonly number[],
  b: readonly number[],
  core: readonly number[],
): number[] {
  const nd = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    const x = a[i - nd + a.length] ?? 1,
      y = b[i - nd + b.length] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      const remap = (full: readonly number[], bat: readonly number[]) =>
        `${formatShape(full)}->(${[...bat, ...full.slice(bat.length).map(() => "newaxis")].join(",")})`;
      throw new ValueError(
        `operands could not be broadcast together with remapped shapes [original->remapped]: ${remap(aFull, a)} ${remap(bFull, b)}  and requested shape ${formatShape(core.filter((c) => c >= 0))}`,
      );
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

function checkOutShape(o: readonly number[], batch: readonly number[], core: readonly number[]): void {
  if (o.length < core.length) {
    // NumPy matches the dims `out` has with the leading core dims; the missing one would be a reduction.
    o.forEach((n, i) => {
      if (n !== core[i])
        throw new ValueError(
          `matmul: Output operand 0 has a mismatch in its core dimension ${i}, with gufunc signature ${SIG} (size ${n} is different from ${core[i]})`,
        );
    });
    throw new ValueError(
      "output operand requires a reduction along dimension -1, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.",
    );
  }
  const oc = o.slice(o.length - core.length);
  for (let i = 0; i < core.length; i++) {
    if (oc[i] !== core[i])
      throw new ValueError(
        `matmul: Output operand 0 has a mismatch in its core dimension ${i}, with gufunc signature ${SIG} (size ${oc[i]} is different from ${core[i]})`,
      );
  }
  const ob = o.slice(0, o.length - core.length);
  if (ob.join() !== batch.join())
    throw new ValueError(
      `non-broadcastable output operand with shape ${formatShape(o)} doesn't match the broadcast shape ${formatShape([...batch, ...core])}`,
    );
}

/**
 * np.dot(a, b): scalars multiply; 1-D·1-D is the inner product (0-d); N-D·1-D sums over the
 * last axis; N-D·M-D (M ≥ 2) sums over a's last and b's second-to-last axis.
 */
export const dot = def("dot", "a, b, out=None", { a: arg.array, b: arg.array, out: arg.out }, (p): ndarray => dot_(p.a, p.b, p.out ?? undefined));
function dot_(x1: ArrayLike, x2: ArrayLike, out: ndarray | undefined): ndarray {
  const a = asarray(x1),
    b = asarray(x2);
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b, out ?? null);
  const bAxis = b.ndim === 1 ? 0 : b.ndim - 2;
  const k = a.shape[a.ndim - 1];
  if (b.shape[bAxis] !== k)
    throw new ValueError(
      `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} not aligned: ${k} (dim ${a.ndim - 1}) != ${b.shape[bAxis]} (dim ${bAxis})`,
    );
  const shape = [...a.shape.slice(0, -1), ...b.shape.slice(0, bAxis), ...b.shape.slice(bAxis + 1)];
  if (out !== undefined && (out.dtype !== resultType([a.dtype, b.dtype]) || out.shape.join() !== shape.join() || !out._store.isContiguous())) {
    throw new ValueError("output array is not acceptable (must have the right datatype, number of dimensions, and be a C-Array)");
  }
  // Up to 2-D b, dot and matmul agree; beyond, b's other axes become one column axis.
  if (b.ndim <= 2) return matmul_(a, b, { out });
  const r = matmul_(reshape(a, [-1, k]), reshape(moveaxis(b, -2, 0), [k, -1])).reshape(shape);
  if (out === undefined) return r;
  copyInto(out, r);
  return out;
}

/** np.vdot(a, b): flattened inner product, conjugating `a` (a 0-d array). */
export const vdot = def("vdot", "a, b, /", { a: arg.array, b: arg.array }, (p): ndarray => {
  let a = ravel(p.a);
  const b = ravel(p.b);
  if (a.size !== b.size) throw new ValueError(`cannot reshape array of size ${b.size} into shape (${a.size},)`);
  if (a.dtype.isComplex) a = conjugate(a);
  return matmul_(a, b);
});

/** np.inner(a, b): sums over the last axes of both; scalars multiply. */
export const inner = def("inner", "a, b, /", { a: arg.array, b: arg.array }, (p): ndarray => {
  const a = asarray(p.a),
    b = asarray(p.b);
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  const k = a.shape[a.ndim - 1],
    kb = b.shape[b.ndim - 1];
  if (k !== kb) {
    // NumPy reports b with its last axis moved to second-to-last.
    const bs = b.ndim === 1 ? b.shape : [...b.shape.slice(0, -2), kb, b.shape[b.ndim - 2]];
    throw new ValueError(
      `shapes ${formatShape(a.shape)} and ${formatShape(bs)} not aligned: ${k} (dim ${a.ndim - 1}) != ${kb} (dim ${Math.max(0, b.ndim - 2)})`,
    );
  }
  const shape = [...a.shape.slice(0, -1), ...b.shape.slice(0, -1)];
  // Leading sizes spelled out: -1 cannot be inferred when k is 0.
  return matmul_(reshape(a, [prod(a.shape.slice(0, -1)), k]), reshape(b, [prod(b.shape.slice(0, -1)), k]).T).reshape(shape);
});

/** np.outer(a, b): a[i] * b[j] over the flattened inputs. */
export const outer = def(
  "outer",
  "a, b, out=None",
  { a: arg.array, b: arg.array, out: arg.out },
  (p): ndarray => multiply(reshape(ravel(p.a), [-1, 1]), reshape(ravel(p.b), [1, -1]), p.out),
);

/** np.matrix_transpose(x, /): the last two axes swapped (a view). */
export const matrix_transpose = def("matrix_transpose", "x, /", { x: arg.array }, (p): ndarray => {
  const x = asarray(p.x);
  if (x.ndim < 2) throw new ValueError(`Input array must be at least 2-dimensional, but it is ${x.ndim}`);
  return x.swapaxes(-1, -2);
});

const VECDOT_SIG = "(n),(n)->()";

/** np.vecdot(x1, x2, /, out=None, *, axis=-1, …): the dot product of vectors along `axis`, x1 conjugated (the gufunc (n),(n)->()). */
export const vecdot = binding(
  def("vecdot", GUFUNC2_PARAMS, GUFUNC2_ARGS, (p): ndarray => {
    if (p.axes !== undefined) unsupported("vecdot", "axes=");
    if (p.keepdims) unsupported("vecdot", "keepdims=True");
    if (p.signature !== null) unsupported("vecdot", "signature=");
    if (p.casting !== "same_kind") unsupported("vecdot", `casting='${p.casting}'`);
    checkObjectOperands("vecdot", [p.x1, p.x2]);
    let a = asarray(p.x1),
      b = asarray(p.x2);
    [a, b].forEach((x, i) => {
      if (x.ndim === 0)
        throw new ValueError(
          `vecdot: Input operand ${i} does not have enough dimensions (has 0, gufunc core with signature ${VECDOT_SIG} requires 1)`,
        );
    });
    const axis = p.axis === undefined ? -1 : (p.axis as number);
    a = moveaxis(a, axis, -1);
    b = moveaxis(b, axis, -1);
    const n = a.shape[a.ndim - 1],
      nb = b.shape[b.ndim - 1];
    if (n !== nb)
      throw new ValueError(
        `vecdot: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${VECDOT_SIG} (size ${nb} is different from ${n})`,
      );
    if (a.dtype.isComplex) a = conjugate(a);
    // One row times one column per batch element: a batched gemv on BLAS.
    const r = matmul_(a.get("...", null, ":"), b.get("...", ":", null), { dtype: p.dtype ?? undefined }).get("...", 0, 0);
    if (p.out === null) return r;
    copyInto(p.out, r);
    return p.out;
  }),
  { style: "ufunc" },
);

/** The checks matvec and vecmat share: no axes/keepdims/signature, each operand with its core dims. */
function gufuncOperands(
  name: string,
  sig: string,
  p: { x1: ArrayLike; x2: ArrayLike; axes: unknown; axis: unknown; keepdims: boolean; signature: unknown; casting: string },
  cores: [number, number],
): [ndarray, ndarray] {
  if (p.axes !== undefined || p.axis !== undefined) unsupported(name, "axes=/axis=");
  if (p.keepdims) unsupported(name, "keepdims=True");
  if (p.signature !== null) unsupported(name, "signature=");
  if (p.casting !== "same_kind") unsupported(name, `casting='${p.casting}'`);
  checkObjectOperands(name, [p.x1, p.x2]);
  const ops = [asarray(p.x1), asarray(p.x2)] as [ndarray, ndarray];
  ops.forEach((x, i) => {
    if (x.ndim < cores[i])
      throw new ValueError(
        `${name}: Input operand ${i} does not have enough dimensions (has ${x.ndim}, gufunc core with signature ${sig} requires ${cores[i]})`,
      );
  });
  return ops;
}

const MATVEC_SIG = "(m,n),(n)->(m)";
/** np.matvec(x1, x2, /, out=None, *, …): matrix times vector over the last axes (the gufunc (m,n),(n)->(m)). */
export const matvec = binding(
  def("matvec", GUFUNC2_PARAMS, GUFUNC2_ARGS, (p): ndarray => {
    const [a, b] = gufuncOperands("matvec", MATVEC_SIG, p, [2, 1]);
    const n = a.shape[a.ndim - 1],
      nb = b.shape[b.ndim - 1];
    if (nb !== n)
      throw new ValueError(
        `matvec: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${MATVEC_SIG} (size ${nb} is different from ${n})`,
      );
    const r = matmul_(a, b.get("...", ":", null), { dtype: p.dtype ?? undefined }).get("...", 0);
    if (p.out === null) return r;
    copyInto(p.out, r);
    return p.out;
  }),
  { style: "ufunc" },
);

const VECMAT_SIG = "(n),(n,m)->(m)";
/** np.vecmat(x1, x2, /, out=None, *, …): vector (conjugated) times matrix over the last axes (the gufunc (n),(n,m)->(m)). */
export const vecmat = binding(
  def("vecmat", GUFUNC2_PARAMS, GUFUNC2_ARGS, (p): ndarray => {
    const [x, b] = gufuncOperands("vecmat", VECMAT_SIG, p, [1, 2]);
    const a = x.dtype.isComplex ? conjugate(x) : x;
    const n = a.shape[a.ndim - 1],
      nb = b.shape[b.ndim - 2];
    if (nb !== n)
      throw new ValueError(
        `vecmat: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${VECMAT_SIG} (size ${nb} is different from ${n})`,
      );
    const r = matmul_(a.get("...", null, ":"), b, { dtype: p.dtype ?? undefined }).get("...", 0, ":");
    if (p.out === null) return r;
    copyInto(p.out, r);
    return p.out;
  }),
  { style: "ufunc" },
);
