import { Store } from "../core/index.js";
import { def } from "./signature.js";
import { arg, choice, CASTINGS, pyType, toIndex } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { type DType, canCast, dtype as toDType, resultType } from "./dtypes.js";
import type { Casting, DTypeLike } from "./dtypes.js";
import { UFuncTypeError, ValueError } from "./errors.js";
import { formatShape } from "./broadcast.js";
import { astype, copyInto } from "./copy.js";
import { multiply } from "./ufuncs.js";
import { sum } from "./math_sum_prod_diff.js";
import { any } from "./logic_truth.js";
import { matmul } from "./products.js";
import { ascontiguousarray, asfortranarray } from "./array_kind.js";
import { EINSUM_SYMBOLS, type ParsedEinsum, contractionList, findPath, isEllipsis, labelSizes, parseEinsumInput, pathChoice } from "./einsum_path.js";

/**
 * np.einsum. Subscripts are parsed as NumPy parses them (its C parser and messages without
 * `optimize`, its Python parser with it), then the operands are contracted pairwise along a
 * path (np.einsum_path's; greedy when `optimize` is False): repeated labels become diagonal
 * views, labels no later term needs are summed first, and each pair is one batched `matmul`
 * (transposed and reshaped to (batch, m, k) @ (batch, k, n)) — or, where no label is left on
 * either side alone, a fused multiply and sum, and where none is summed, a broadcast multiply.
 */

type Sizes = Map<string, number>;

const isLetter = (c: string) => (c >= "A" && c <= "Z") || (c >= "a" && c <= "z");

/** The operands and subscripts string of an einsum call as NumPy's C entry point reads them. */
function cArguments(args: readonly unknown[]): { subscripts: string; operands: ndarray[] } {
  if (args.length < 1)
    throw new ValueError(
      "must specify the einstein sum subscripts string and at least one operand, or at least one operand and its corresponding subscripts list",
    );
  if (typeof args[0] === "string") {
    if (args.length < 2) throw new ValueError("must specify the einstein sum subscripts string and at least one operand");
    return { subscripts: args[0], operands: args.slice(1).map((a) => asarray(a as ArrayLike)) };
  }
  const nop = Math.floor(args.length / 2);
  if (nop === 0) throw new ValueError("must provide at least an operand and a subscripts list to einsum");
  const operands: ndarray[] = [];
  const subs: string[] = [];
  for (let i = 0; i < nop; i++) {
    operands.push(asarray(args[2 * i] as ArrayLike));
    subs.push(cSublist(args[2 * i + 1]));
  }
  let subscripts = subs.join(",");
  if (args.length === 2 * nop + 1) subscripts += `->${cSublist(args[2 * nop])}`;
  return { subscripts, operands };
}

/** One interleaved sublist as letters (NumPy's C conversion and messages). */
function cSublist(obj: unknown): string {
  const items = Array.isArray(obj) ? obj : obj instanceof ndarray && obj.ndim > 0 ? (obj.tolist() as unknown[]) : null;
  if (items === null) throw new TypeError("the subscripts for each operand must be a list or a tuple");
  let s = "";
  let ellipsis = false;
  for (const item of items) {
    if (isEllipsis(item)) {
      if (ellipsis) throw new ValueError("each subscripts list may have only one ellipsis");
      s += "...";
      ellipsis = true;
      continue;
    }
    let k: number;
    try {
      k = toIndex(item);
    } catch {
      throw new TypeError("each subscript must be either an integer or an ellipsis");
    }
    if (k < 0 || k >= 52) throw new ValueError("subscript is not within the valid range [0, 52)");
    s += EINSUM_SYMBOLS[k];
  }
  return s;
}

/** One operand's labels as NumPy's C parser reads them: a letter per dim, "" for broadcast dims. */
function cOperandLabels(sub: string, ndim: number, iop: number): string[] {
  const labels: string[] = [];
  let ellipsis = -1;
  for (let i = 0; i < sub.length; i++) {
    const c = sub[i];
    if (isLetter(c)) {
      if (labels.length >= ndim) throw new ValueError(`einstein sum subscripts string contains too many subscripts for operand ${iop}`);
      labels.push(c);
    } else if (c === ".") {
      if (ellipsis !== -1 || i + 2 >= sub.length || sub[++i] !== "." || sub[++i] !== ".")
        throw new ValueError(`einstein sum subscripts string contains a '.' that is not part of an ellipsis ('...') in operand ${iop}`);
      ellipsis = labels.length;
    } else if (c !== " ") {
      throw new ValueError(`invalid subscript '${c}' in einstein sum subscripts string, subscripts must be letters`);
    }
  }
  if (ellipsis === -1) {
    if (labels.length !== ndim)
      throw new ValueError(
        "operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.",
      );
    return labels;
  }
  labels.splice(ellipsis, 0, ...new Array<string>(ndim - labels.length).fill(""));
  return labels;
}

/** The output's labels ("" for broadcast dims), with NumPy's C parser's checks. */
function cOutputLabels(sub: string, nBroadcast: number, counts: Map<string, number>): string[] {
  const out: string[] = [];
  let ellipsis = false;
  for (let i = 0; i < sub.length; i++) {
    const c = sub[i];
    if (isLetter(c)) {
      if (sub.indexOf(c, i + 1) >= 0) throw new ValueError(`einstein sum subscripts string includes output subscript '${c}' multiple times`);
      if (!counts.get(c)) throw new ValueError(`einstein sum subscripts string included output subscript '${c}' which never appeared in an input`);
      out.push(c);
    } else if (c === ".") {
      if (ellipsis || i + 2 >= sub.length || sub[++i] !== "." || sub[++i] !== ".")
        throw new ValueError("einstein sum subscripts string contains a '.' that is not part of an ellipsis ('...') in the output");
      ellipsis = true;
      for (let b = 0; b < nBroadcast; b++) out.push("");
    } else if (c !== " ") {
      throw new ValueError(`invalid subscript '${c}' in einstein sum subscripts string, subscripts must be letters`);
    }
  }
  if (!ellipsis && nBroadcast > 0)
    throw new ValueError(
      "output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.",
    );
  return out;
}

/** NumPy's C parse of the whole subscripts string: labels per operand and of the output. */
function cParse(subscripts: string, operands: ndarray[]): { labels: string[][]; output: string[] } {
  const nop = operands.length;
  const counts = new Map<string, number>();
  const labels: string[][] = [];
  let rest = subscripts;
  for (let iop = 0; iop < nop; iop++) {
    let length = rest.search(/[,-]/);
    if (length < 0) length = rest.length;
    if (iop === nop - 1 && rest[length] === ",")
      throw new ValueError("more operands provided to einstein sum function than specified in the subscripts string");
    if (iop < nop - 1 && rest[length] !== ",")
      throw new ValueError("fewer operands provided to einstein sum function than specified in the subscripts string");
    const l = cOperandLabels(rest.slice(0, length), operands[iop].ndim, iop);
    for (const c of l) if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
    labels.push(l);
    rest = rest.slice(length + (iop < nop - 1 ? 1 : 0));
  }
  const nBroadcast = Math.max(0, ...labels.map((l) => l.filter((c) => c === "").length));
  let output: string[];
  if (rest === "") {
    output = new Array<string>(nBroadcast).fill("");
    output.push(...[...counts.keys()].filter((c) => counts.get(c) === 1).sort());
  } else {
    if (!rest.startsWith("->")) throw new ValueError("einstein sum subscript string does not contain proper '->' output specified");
    output = cOutputLabels(rest.slice(2), nBroadcast, counts);
  }
  return { labels, output };
}

/** Letters for broadcast dims: the output's k-th is the k-th unused label; operands take the last ones. */
function nameBroadcastDims(labels: string[][], output: string[]): { inputs: string[]; output: string } {
  const used = new Set(labels.flat());
  const unused = [...EINSUM_SYMBOLS].filter((c) => !used.has(c));
  const nb = output.filter((c) => c === "").length;
  const name = (l: string[]) => {
    const k = l.filter((c) => c === "").length;
    let b = nb - k;
    return l.map((c) => (c === "" ? unused[b++] : c)).join("");
  };
  return { inputs: labels.map(name), output: name(output) };
}

/** A view with repeated labels collapsed onto their diagonal (labels deduplicated, first place kept). */
function collapse(a: ndarray, labels: string, onMismatch: (c: string, first: number, dim: number) => never): [ndarray, string] {
  if (new Set(labels).size === labels.length) return [a, labels];
  const s = a._store;
  const shape: number[] = [],
    strides: number[] = [];
  let kept = "";
  [...labels].forEach((c, d) => {
    const i = kept.indexOf(c);
    if (i < 0) {
      kept += c;
      shape.push(s.shape[d]);
      strides.push(s.strides[d]);
    } else {
      if (shape[i] !== s.shape[d]) onMismatch(c, shape[i], s.shape[d]);
      strides[i] += s.strides[d];
    }
  });
  return [new ndarray(new Store(s.storage, shape, strides, s.offset)), kept];
}

/** np.einsum's single-operand view (no label summed): dims placed, and diagonals taken, by strides. */
function singleOpView(a: ndarray, labels: string, output: string): ndarray | null {
  const s = a._store;
  const shape = new Array<number>(output.length).fill(0),
    strides = new Array<number>(output.length).fill(0);
  for (let d = 0; d < labels.length; d++) {
    const i = output.indexOf(labels[d]);
    if (i < 0) return null;
    if (shape[i] !== 0 && shape[i] !== s.shape[d])
      throw new ValueError(`dimensions in single operand for collapsing index '${labels[d]}' don't match (${shape[i]} != ${s.shape[d]})`);
    shape[i] = s.shape[d];
    strides[i] += s.strides[d];
  }
  return new ndarray(new Store(s.storage, shape, strides, s.offset));
}

// ---- execution --------------------------------------------------------------------------------

/** An operand during a contraction: an array and one distinct label per dim. */
interface Term {
  a: ndarray;
  labels: string;
}

const permute = (t: Term, order: string): ndarray => {
  if (order === t.labels) return t.a;
  return new ndarray(t.a._store.transpose([...order].map((c) => t.labels.indexOf(c))));
};

/** Sum (or, for bool, any) the labels of `t` not in `keep`. */
function reduceTerm(t: Term, keep: string, dt: DType): Term {
  const axes: number[] = [];
  let labels = "";
  [...t.labels].forEach((c, d) => {
    if (keep.includes(c)) labels += c;
    else axes.push(d);
  });
  if (axes.length === 0) return t;
  return { a: sumAxes(t.a, axes, dt), labels };
}

const sumAxes = (a: ndarray, axes: number[], dt: DType): ndarray => (dt.kind === "b" ? any(a, { axis: axes }) : sum(a, { axis: axes, dtype: dt }));

/** Drop dims of size 1 whose label the other term has larger (NumPy broadcasts them). */
function dropBroadcastOnes(t: Term, other: Term): Term {
  let s = t.a._store;
  let labels = t.labels;
  for (let d = labels.length - 1; d >= 0; d--) {
    const j = other.labels.indexOf(labels[d]);
    if (s.shape[d] === 1 && j >= 0 && other.a.shape[j] !== 1) {
      s = s.project(d, 0);
      labels = labels.slice(0, d) + labels.slice(d + 1);
    }
  }
  return s === t.a._store ? t : { a: new ndarray(s), labels };
}

/**
 * `t` permuted to `order` with consecutive labels fused into one dim per group: a view where
 * the strides allow, else one contiguous copy.
 */
function fuse(t: Term, groups: string[]): ndarray {
  const a = permute(t, groups.join(""));
  const s = a._store;
  const shape: number[] = [],
    strides: number[] = [];
  let d = 0;
  let ok = true;
  for (const g of groups) {
    let n = 1,
      stride = 0;
    for (let k = 0; k < g.length; k++, d++) {
      if (s.shape[d] === 1) continue;
      if (n !== 1 && stride !== s.strides[d] * s.shape[d]) ok = false;
      n *= s.shape[d];
      stride = s.strides[d];
    }
    shape.push(n);
    strides.push(n === 1 ? 0 : stride);
  }
  if (ok) return new ndarray(new Store(s.storage, shape, strides, s.offset));
  return new ndarray(astype(a, a.dtype)._store.reshape(shape)!);
}

/** Contract two terms into one with labels `out` (every label of `out` is in one of them). */
function contractPair(x0: Term, y0: Term, out: string, dt: DType): Term {
  // The product gives x's own labels before y's: take the terms in the order `out` has them,
  // so that the result needs no transpose.
  const first = (t: Term, u: Term) => [...out].findIndex((c) => t.labels.includes(c) && !u.labels.includes(c));
  const fx = first(x0, y0),
    fy = first(y0, x0);
  const r = fx >= 0 && fy >= 0 && fy < fx ? contractPairAnyOrder(y0, x0, out, dt) : contractPairAnyOrder(x0, y0, out, dt);
  return { a: permute(r, out), labels: out };
}

/** contractPair, its result's labels in whatever order the product gave them. */
function contractPairAnyOrder(x0: Term, y0: Term, out: string, dt: DType): Term {
  let x = dropBroadcastOnes(x0, y0);
  let y = dropBroadcastOnes(y0, x);
  x = reduceTerm(x, y.labels + out, dt);
  y = reduceTerm(y, x.labels + out, dt);
  const batch = [...x.labels].filter((c) => y.labels.includes(c) && out.includes(c)).join("");
  const con = [...x.labels].filter((c) => y.labels.includes(c) && !out.includes(c)).join("");
  const xKeep = [...x.labels].filter((c) => !y.labels.includes(c)).join("");
  const yKeep = [...y.labels].filter((c) => !x.labels.includes(c)).join("");
  const size = (c: string) => (x.labels.includes(c) ? x.a.shape[x.labels.indexOf(c)] : y.a.shape[y.labels.indexOf(c)]);
  if (con === "") {
    // Nothing summed: a broadcast multiply straight into the output's order.
    const spread = (t: Term) => {
      const own = [...out].filter((c) => t.labels.includes(c)).join("");
      let s = permute(t, own)._store;
      [...out].forEach((c, d) => {
        if (!t.labels.includes(c)) s = s.promote(d, 1);
      });
      return new ndarray(s);
    };
    return { a: multiply(spread(x), spread(y)), labels: out };
  }
  if (xKeep === "" && yKeep === "") {
    // Only shared labels: one fused multiply-and-sum over the summed ones (no matrix shape).
    const prod = multiply(permute(x, batch + con), permute(y, batch + con));
    const axes = [...con].map((_, i) => batch.length + i);
    return { a: sumAxes(prod, axes, dt), labels: batch };
  }
  // (batch, m, k) @ (batch, k, n): one batched matrix product.
  const grouped = batch === "";
  const A = fuse(x, grouped ? [xKeep, con] : [batch, xKeep, con]);
  const B = fuse(y, grouped ? [con, yKeep] : [batch, con, yKeep]);
  const C = matmul(A, B);
  const shape = [...batch, ...xKeep, ...yKeep].map(size);
  const r = C.shape.join() === shape.join() ? C : new ndarray(C._store.reshape(shape)!);
  return { a: r, labels: batch + xKeep + yKeep };
}

/** One term to `out`: diagonals, sums, then a transposed view. */
function contractSingle(t: Term, out: string, dt: DType): Term {
  const r = reduceTerm(t, out, dt);
  return { a: permute(r, out), labels: out };
}

/** Contract a group of terms: pairwise along NumPy's greedy order (no memory limit), then in order. */
function contractGroup(terms: Term[], out: string, dt: DType, sizes: Sizes): Term {
  if (terms.length === 1) return contractSingle(terms[0], out, dt);
  if (terms.length === 2) return contractPair(terms[0], terms[1], out, dt);
  const inputs = terms.map((t) => t.labels);
  const path = findPath(inputs, out, sizes, { kind: "search", name: "greedy", memoryLimit: Number.POSITIVE_INFINITY });
  const list = contractionList(inputs, out, sizes, path);
  let ops = [...terms];
  for (const [inds, eq] of list.steps) {
    const group = inds.map((i) => ops[i]);
    ops = ops.filter((_, i) => !inds.includes(i));
    const res = eq.slice(eq.indexOf("->") + 2);
    if (group.length > 2) {
      // No pair pays: fold left to right, keeping what the rest of the group or `res` needs.
      let acc = group[0];
      for (let k = 1; k < group.length; k++) {
        const later =
          group
            .slice(k + 1)
            .map((g) => g.labels)
            .join("") + res;
        const keep = [...new Set(acc.labels + group[k].labels)].filter((c) => later.includes(c)).join("");
        acc = k === group.length - 1 ? contractPair(acc, group[k], res, dt) : contractPair(acc, group[k], keep, dt);
      }
      ops.push(acc);
    } else ops.push(contractGroup(group, res, dt, sizes));
  }
  return ops[0];
}

/** Run a contraction list over the operands (already collapsed to distinct labels and cast). */
function execute(terms: Term[], steps: [number[], string, string[]][], dt: DType, sizes: Sizes): ndarray {
  let ops = [...terms];
  for (const [inds, eq] of steps) {
    const group = inds.map((i) => ops[i]);
    ops = ops.filter((_, i) => !inds.includes(i));
    ops.push(contractGroup(group, eq.slice(eq.indexOf("->") + 2), dt, sizes));
  }
  return ops[0].a;
}

// ---- checks of NumPy's C implementation ------------------------------------------------------

/** NumPy's iterator error for operands whose labels do not broadcast (shapes as it remaps them). */
function broadcastCheck(views: Term[], output: string, out: ndarray | null): Sizes {
  const sizes: Sizes = new Map();
  let bad = false;
  const see = (c: string, n: number) => {
    const prev = sizes.get(c);
    if (prev === undefined || prev === 1) sizes.set(c, n);
    else if (n !== 1 && n !== prev) bad = true;
  };
  for (const v of views) [...v.labels].forEach((c, d) => see(c, v.a.shape[d]));
  if (out) [...output].forEach((c, d) => see(c, out.shape[d]));
  if (!bad) return sizes;
  const summed = [...new Set(views.map((v) => v.labels).join(""))].filter((c) => !output.includes(c)).sort();
  const iter = [...output, ...summed];
  const remap = (v: Term) => {
    const dims = iter.map((c) => (v.labels.includes(c) ? v.a.shape[v.labels.indexOf(c)] : -1));
    const first = dims.findIndex((n) => n >= 0);
    if (first < 0) return "()";
    const body = dims.slice(first).map((n) => (n < 0 ? "newaxis" : String(n)));
    // NumPy's convert_shape_to_string: leading newaxes dropped, a trailing comma only for one dim in all.
    return `(${body.join(",")}${dims.length === 1 ? "," : ""})`;
  };
  const parts = views.map((v) => `${formatShape(v.a.shape)}->${remap(v)} `);
  if (out) parts.push(`${formatShape(out.shape)}->${remap({ a: out, labels: output })} `);
  throw new ValueError(`operands could not be broadcast together with remapped shapes [original->remapped]: ${parts.join("")}`);
}

const dtName = (d: DType) => `dtype('${d.name}')`;

// ---- np.einsum -----------------------------------------------------------------------------------

const KWARGS = ["dtype", "order", "casting"];
const ORDERS = ["C", "F", "A", "K"];
const castingConv = choice(CASTINGS as unknown as Casting[], "casting", CASTINGS, (xs) => xs.map((x) => `'${x}'`).join(", "));

interface Options {
  out: ndarray | null;
  dtype: DType | null;
  order: "C" | "F" | "A" | "K";
  /** `order` as given (the optimized steps check it where NumPy's would). */
  rawOrder: string | null;
  casting: Casting | null;
}

/** Only dtype, order and casting besides out and optimize (NumPy's two messages). */
function checkKeywords(kwargs: Record<string, unknown>, optimizing: boolean): void {
  const unknown = Object.keys(kwargs).filter((k) => !KWARGS.includes(k));
  if (unknown.length) {
    if (optimizing) throw new TypeError(`Did not understand the following kwargs: [${unknown.map((k) => `'${k}'`).join(", ")}]`);
    throw new TypeError(`einsum() got an unexpected keyword argument '${unknown[0]}'`);
  }
}

function readOptions(out: unknown, kwargs: Record<string, unknown>, optimizing: boolean): Options {
  checkKeywords(kwargs, optimizing);
  if (out !== null && out !== undefined && !(out instanceof ndarray)) throw new TypeError("keyword parameter out must be an array for einsum");
  const ref = { fn: "einsum", param: "" };
  const dt = kwargs.dtype;
  const raw = kwargs.order === undefined || kwargs.order === null ? null : kwargs.order;
  if (raw !== null && typeof raw !== "string") throw new TypeError(`order must be str, not ${pyType(raw)}`);
  const valid = raw === null || ORDERS.includes(raw.toUpperCase());
  // NumPy's C einsum refuses a bad order at once; its optimized steps only when they reach it.
  if (!valid && !optimizing) throw new ValueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${raw}')`);
  return {
    out: (out as ndarray | null | undefined) ?? null,
    dtype: dt === undefined || dt === null ? null : toDType(dt as DTypeLike),
    order: (raw !== null && valid ? raw.toUpperCase() : "K") as Options["order"],
    rawOrder: raw,
    casting: kwargs.casting === undefined ? null : castingConv(kwargs.casting, ref),
  };
}

/** The result in the layout `order` asks for. */
function inOrder(r: ndarray, order: Options["order"]): ndarray {
  if (order === "F") return asfortranarray(r);
  if (order === "C" || order === "A") return ascontiguousarray(r);
  return r;
}

/** What einsumC found for a call: labels (broadcast dims named), sizes, steps, dtype. */
interface Plan {
  inputs: string[];
  sizes: Sizes;
  steps: [number[], string, string[]][];
  dt: DType;
}

/**
 * Plans of recent calls of several operands without `out` or keywords, by subscripts and the
 * operands' shapes and dtypes (everything the parse, the checks and the path depend on): a
 * loop calling einsum on arrays of one shape parses and plans once (on 200x200 operands the
 * planning is ~20 µs of a ~140 µs call).
 */
const plans = new Map<string, Plan>();
const PLANS_MAX = 64;

function planKey(subscripts: string, operands: ndarray[]): string {
  let key = subscripts;
  for (const a of operands) key += `|${a.dtype.name}:${a.shape.join(",")}`;
  return key;
}

/** The operands as terms, repeated labels collapsed onto their diagonals (NumPy's message where their dims differ). */
function collapseAll(operands: ndarray[], inputs: string[]): Term[] {
  return operands.map((a, iop) => {
    const [v, l] = collapse(a, inputs[iop], (c, first, dim) => {
      throw new ValueError(`dimensions in operand ${iop} for collapsing index '${c}' don't match (${first} != ${dim})`);
    });
    return { a: v, labels: l };
  });
}

/** Terms cast to the computation's dtype. */
function castTerms(terms: Term[], dt: DType): void {
  for (const t of terms) if (t.a.dtype !== dt) t.a = astype(t.a, dt);
}

/** A cached plan's steps on these operands (they passed its checks when it was made). */
function runPlan(plan: Plan, operands: ndarray[]): ndarray {
  const terms = collapseAll(operands, plan.inputs);
  castTerms(terms, plan.dt);
  return execute(terms, plan.steps, plan.dt, plan.sizes);
}

/** np.einsum without `optimize`: NumPy's C implementation's parsing, checks and messages. */
function einsumC(args: readonly unknown[], out: unknown, kwargs: Record<string, unknown>): ndarray {
  // NumPy reads the operands first, then the keywords.
  const { subscripts, operands } = cArguments(args);
  const cacheable = operands.length > 1 && (out === null || out === undefined) && Object.keys(kwargs).length === 0;
  const key = cacheable ? planKey(subscripts, operands) : "";
  const hit = cacheable ? plans.get(key) : undefined;
  if (hit) return runPlan(hit, operands);
  const o = readOptions(out, kwargs, false);
  const { labels, output } = cParse(subscripts, operands);
  if (o.out && o.out.ndim !== output.length)
    throw new ValueError(`out parameter does not have the correct number of dimensions, has ${o.out.ndim} but should have ${output.length}`);
  const named = nameBroadcastDims(labels, output);
  if (operands.length === 1 && !o.out) {
    const v = singleOpView(operands[0], named.inputs[0], named.output);
    if (v) return v;
  }
  const terms = collapseAll(operands, named.inputs);
  const sizes = broadcastCheck(terms, named.output, o.out);
  if (o.out) {
    [...named.output].forEach((c, d) => {
      if (o.out!.shape[d] === 1 && sizes.get(c)! > 1)
        throw new ValueError(
          `output operand requires a reduction along dimension ${d}, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.`,
        );
    });
  }
  const casting = o.casting ?? "safe";
  const dt = o.dtype ?? resultType(operands.map((a) => a.dtype));
  terms.forEach((t, i) => {
    if (!canCast(t.a.dtype, dt, casting))
      throw new TypeError(
        `Iterator operand ${i} dtype could not be cast from ${dtName(t.a.dtype)} to ${dtName(dt)} according to the rule '${casting}'`,
      );
  });
  if (o.out && !canCast(dt, o.out.dtype, casting))
    throw new TypeError(
      `Iterator requested dtype could not be cast from ${dtName(dt)} to ${dtName(o.out.dtype)}, the operand ${operands.length} dtype, according to the rule '${casting}'`,
    );
  castTerms(terms, dt);
  const inputs = terms.map((t) => t.labels);
  const path = findPath(inputs, named.output, sizes, { kind: "none" });
  const steps = contractionList(inputs, named.output, sizes, path).steps;
  if (cacheable) {
    if (plans.size >= PLANS_MAX) plans.delete(plans.keys().next().value as string);
    plans.set(key, { inputs: named.inputs, sizes, steps, dt });
  }
  return finish(execute(terms, steps, dt, sizes), o);
}

/** The result into `out` (cast), or in the layout `order` asks for. */
function finish(r: ndarray, o: Options): ndarray {
  if (!o.out) return inOrder(r, o.order);
  copyInto(o.out, r);
  return o.out;
}

/** np.einsum with `optimize`: NumPy's Python parser and path search, then the pairwise steps. */
function einsumOptimized(args: readonly unknown[], optimize: unknown, out: unknown, kwargs: Record<string, unknown>): ndarray {
  // NumPy checks the keywords' names first; their values only reach the steps' ufuncs.
  checkKeywords(kwargs, true);
  const choice = pathChoice(optimize);
  const parsed: ParsedEinsum = parseEinsumInput(args);
  const sizes = labelSizes(parsed);
  const path = findPath(parsed.inputs, parsed.output, sizes, choice);
  const plan = contractionList(parsed.inputs, parsed.output, sizes, path);
  const o = readOptions(out, kwargs, true);
  const operands = parsed.operands;
  if (o.rawOrder !== null && !ORDERS.includes(o.rawOrder.toUpperCase()) && plan.steps[0][0].length !== 2)
    throw new ValueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${o.rawOrder}')`);
  if (operands.length === 1 && !o.out) {
    const v = singleOpView(operands[0], parsed.inputs[0], parsed.output);
    if (v) return v;
  }
  const dt = o.dtype ?? resultType(operands.map((a) => a.dtype));
  checkSteps(plan.steps, operands, dt, o.casting, o.out, o.rawOrder);
  // Repeated labels' dims were checked above (checkSteps).
  const terms = collapseAll(operands, parsed.inputs);
  castTerms(terms, dt);
  return finish(execute(terms, plan.steps, dt, sizes), o);
}

/**
 * How NumPy's `bmm_einsum` does one pairwise step: the labels it brings each operand to first
 * (`desired`), whether the step is a plain multiply (no label of size > 1 summed), and whether
 * its matmul writes `out` directly (no reshape or transpose after it).
 */
function bmmPlan(aTerm: string, aShape: readonly number[], bTerm: string, bShape: readonly number[], out: string) {
  const left: string[] = [],
    right: string[] = [];
  const singletons = new Set<string>();
  [...aTerm].forEach((c, d) => {
    if (aShape[d] === 1) singletons.add(c);
    else if (!left.includes(c)) left.push(c);
  });
  [...bTerm].forEach((c, d) => {
    if (bShape[d] === 1) {
      if (!left.includes(c)) singletons.add(c);
    } else {
      singletons.delete(c);
      if (!right.includes(c)) right.push(c);
    }
  });
  const bat: string[] = [],
    con: string[] = [],
    aKeep: string[] = [];
  for (const c of left) {
    const j = right.indexOf(c);
    if (j >= 0) {
      right.splice(j, 1);
      (out.includes(c) ? bat : con).push(c);
    } else if (out.includes(c)) aKeep.push(c);
  }
  const bKeep = right.filter((c) => out.includes(c));
  if (con.length === 0) {
    const own = (t: string) => [...out].filter((c) => t.includes(c)).join("");
    return { desired: [own(aTerm), own(bTerm)], pure: true, outDirect: true };
  }
  const single = [...out].filter((c) => singletons.has(c));
  const groups = bat.length ? [bat, aKeep, bKeep] : [aKeep, bKeep];
  const reshaped = groups.some((g) => g.length !== 1) || single.length > 0;
  const produced = [...single, ...bat, ...aKeep, ...bKeep].join("");
  return {
    desired: [[...bat, ...aKeep, ...con].join(""), [...bat, ...con, ...bKeep].join("")],
    pure: false,
    outDirect: !reshaped && produced === out,
  };
}

/**
 * NumPy's one-operand C einsum's check of repeated labels: with `view`, its attempt at a view
 * (which stops at the first summed label), then the diagonal view's own check.
 */
function checkRepeats(shape: readonly number[], labels: string, output: string | null, iop: number): void {
  if (new Set(labels).size === labels.length) return;
  if (output !== null) {
    const dims = new Map<string, number>();
    for (let d = 0; d < labels.length; d++) {
      const c = labels[d];
      if (!output.includes(c)) break;
      const prev = dims.get(c);
      if (prev !== undefined && prev !== shape[d])
        throw new ValueError(`dimensions in single operand for collapsing index '${c}' don't match (${prev} != ${shape[d]})`);
      dims.set(c, shape[d]);
    }
  }
  const first = new Map<string, number>();
  [...labels].forEach((c, d) => {
    const prev = first.get(c);
    if (prev === undefined) first.set(c, shape[d]);
    else if (prev !== shape[d]) throw new ValueError(`dimensions in operand ${iop} for collapsing index '${c}' don't match (${prev} != ${shape[d]})`);
  });
}

/**
 * NumPy's checks of its optimized steps, in its order: each step's one-operand einsums (the
 * repeated-label checks) and its ufunc's casting. An original operand enters a pairwise step
 * through `matmul` (some label summed) or `multiply` (none), under `casting` or their
 * 'same_kind'; a step of one or of three or more operands is the C einsum, under `casting`
 * or 'safe'.
 */
function checkSteps(
  steps: [number[], string, string[]][],
  operands: ndarray[],
  dt: DType,
  casting: Casting | null,
  out: ndarray | null,
  order: string | null,
): void {
  // The original operand at each position of the shrinking list (null: an intermediate), and each term's shape.
  let ids: (number | null)[] = operands.map((_, i) => i);
  let shapes: (readonly number[])[] = operands.map((a) => a.shape);
  steps.forEach(([inds, eq], n) => {
    const members = inds.map((i) => ids[i]);
    const memberShapes = inds.map((i) => shapes[i]);
    ids = ids.filter((_, i) => !inds.includes(i));
    shapes = shapes.filter((_, i) => !inds.includes(i));
    const [lhs, res] = eq.split("->");
    const terms = lhs.split(",");
    ids.push(null);
    shapes.push([...res].map((c) => Math.max(...terms.flatMap((t, k) => (t.includes(c) ? [memberShapes[k][t.indexOf(c)]] : [1])))));
    const castIn = (rule: Casting, err: (m: number, k: number) => Error) =>
      members.forEach((m, k) => {
        if (m !== null && !canCast(operands[m].dtype, dt, rule)) throw err(m, k);
      });
    const last = n === steps.length - 1;
    if (inds.length === 2) {
      const plan = bmmPlan(terms[0], memberShapes[0], terms[1], memberShapes[1], res);
      if (order !== null && !ORDERS.includes(order.toUpperCase()))
        throw new ValueError(`ValueError: order must be one of 'C', 'F', 'A', or 'K' (got '${order}')`);
      members.forEach((m, k) => {
        if (m !== null) checkRepeats(memberShapes[k], terms[k], plan.desired[k], 0);
      });
      const ufunc = plan.pure ? "multiply" : "matmul";
      const rule = casting ?? "same_kind";
      castIn(
        rule,
        (m, k) =>
          new UFuncTypeError(
            `Cannot cast ufunc '${ufunc}' input ${k} from ${dtName(operands[m].dtype)} to ${dtName(dt)} with casting rule '${rule}'`,
          ),
      );
      if (last && out !== null && plan.outDirect && !canCast(dt, out.dtype, rule))
        throw new UFuncTypeError(`Cannot cast ufunc '${ufunc}' output from ${dtName(dt)} to ${dtName(out.dtype)} with casting rule '${rule}'`);
    } else {
      if (order !== null && !ORDERS.includes(order.toUpperCase()))
        throw new ValueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${order}')`);
      const view = inds.length === 1 && !(out !== null && last);
      members.forEach((m, k) => {
        if (m !== null) checkRepeats(memberShapes[k], terms[k], view ? res : null, k);
      });
      const rule = casting ?? "safe";
      castIn(
        rule,
        (m, k) =>
          new TypeError(
            `Iterator operand ${k} dtype could not be cast from ${dtName(operands[m].dtype)} to ${dtName(dt)} according to the rule '${rule}'`,
          ),
      );
      if (last && out !== null && !canCast(dt, out.dtype, rule))
        throw new TypeError(
          `Iterator requested dtype could not be cast from ${dtName(dt)} to ${dtName(out.dtype)}, the operand ${inds.length} dtype, according to the rule '${rule}'`,
        );
    }
  });
}

/**
 * np.einsum(subscripts, *operands, out=None, dtype=None, order='K', casting='safe',
 * optimize=False): Einstein summation; also einsum(op0, sublist0, op1, sublist1, ..., [sublistout]).
 */
export const einsum = def(
  "einsum",
  "*operands, out=None, optimize=False, **kwargs",
  { operands: arg.any, out: arg.any, optimize: arg.any, kwargs: arg.any },
  (p): ndarray => {
    if (p.optimize === false) return einsumC(p.operands, p.out, p.kwargs);
    return einsumOptimized(p.operands, p.optimize, p.out, p.kwargs);
  },
);
