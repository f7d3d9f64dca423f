import { def } from "./signature.js";
import { arg, pyType, toIndex } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { IndexError, KeyError, RuntimeError, ValueError } from "./errors.js";

/**
 * np.einsum_path and the contraction-order search np.einsum uses with `optimize`: NumPy's
 * subscript parser (the Python one, whose messages einsum gives when optimizing), the greedy
 * and optimal searches, and the contraction list with its printed report, as NumPy's
 * `numpy/_core/einsumfunc.py` computes them (same tie-breaking, so the same paths).
 */

/** The labels NumPy uses, in its order (`einsum_symbols`): an interleaved sublist's int i is the i-th. */
export const EINSUM_SYMBOLS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An ellipsis in an interleaved sublist: Python's `...`, written "..." (as in indexing). */
export const isEllipsis = (s: unknown): boolean => s === "..." || s === Symbol.for("Ellipsis");

/** A contraction path: groups of operand positions, each contracted into one new last operand. */
export type Path = number[][];

/** A parsed einsum call: one label string per operand (ellipses spelled out), the output labels. */
export interface ParsedEinsum {
  inputs: string[];
  output: string;
  operands: ndarray[];
}

/** One step of a contraction list: positions (descending), its einsum string, the terms left after it. */
export type Contraction = [number[], string, string[]];

type Sizes = Map<string, number>;

const sizeOf = (indices: Iterable<string>, sizes: Sizes): number => {
  let r = 1;
  for (const i of indices) r *= sizes.get(i)!;
  return r;
};

/** Flops of one contraction: its index space times (terms − 1, at least 1), plus one if it sums. */
function flopCount(idxContraction: Set<string>, inner: boolean, numTerms: number, sizes: Sizes): number {
  let factor = Math.max(1, numTerms - 1);
  if (inner) factor += 1;
  return sizeOf(idxContraction, sizes) * factor;
}

interface Found {
  newResult: Set<string>;
  remaining: Set<string>[];
  idxRemoved: Set<string>;
  idxContract: Set<string>;
}

/** The indices a contraction of `positions` keeps, and the terms left (the new one last). */
function findContraction(positions: readonly number[], inputSets: readonly Set<string>[], outputSet: Set<string>): Found {
  const idxContract = new Set<string>();
  const idxRemain = new Set(outputSet);
  const remaining: Set<string>[] = [];
  inputSets.forEach((value, ind) => {
    if (positions.includes(ind)) for (const v of value) idxContract.add(v);
    else {
      remaining.push(value);
      for (const v of value) idxRemain.add(v);
    }
  });
  const newResult = new Set([...idxContract].filter((i) => idxRemain.has(i)));
  const idxRemoved = new Set([...idxContract].filter((i) => !newResult.has(i)));
  remaining.push(newResult);
  return { newResult, remaining, idxRemoved, idxContract };
}

/** Every pairwise order, within the memory limit, keeping the cheapest (NumPy's 'optimal'). */
function optimalPath(inputSets: Set<string>[], outputSet: Set<string>, sizes: Sizes, memoryLimit: number): Path {
  type Partial = [number, number[][], Set<string>[]];
  let full: Partial[] = [[0, [], inputSets]];
  const n = inputSets.length;
  const best = (rs: Partial[]) => rs.reduce((b, r) => (r[0] < b[0] ? r : b));
  for (let iteration = 0; iteration < n - 1; iteration++) {
    const iter: Partial[] = [];
    for (const [cost, positions, remaining] of full) {
      for (const con of combinations(n - iteration)) {
        const c = findContraction(con, remaining, outputSet);
        if (sizeOf(c.newResult, sizes) > memoryLimit) continue;
        const total = cost + flopCount(c.idxContract, c.idxRemoved.size > 0, con.length, sizes);
        iter.push([total, [...positions, con], c.remaining]);
      }
    }
    if (iter.length > 0) full = iter;
    else {
      const path = [...best(full)[1]];
      path.push(range(n - iteration));
      return path;
    }
  }
  if (full.length === 0) return [range(n)];
  return best(full)[1];
}

type Candidate = [[number, number], number[], Set<string>[]];

/** Cost (−removed size, flops) of contracting `positions` next, or null past a limit. */
function possibleContraction(
  positions: number[],
  inputSets: Set<string>[],
  outputSet: Set<string>,
  sizes: Sizes,
  memoryLimit: number,
  pathCost: number,
  naiveCost: number,
): Candidate | null {
  const c = findContraction(positions, inputSets, outputSet);
  const newSize = sizeOf(c.newResult, sizes);
  if (newSize > memoryLimit) return null;
  let oldSizes = 0;
  for (const p of positions) oldSizes += sizeOf(inputSets[p], sizes);
  const removedSize = oldSizes - newSize;
  const cost = flopCount(c.idxContract, c.idxRemoved.size > 0, positions.length, sizes);
  if (pathCost + cost > naiveCost) return null;
  return [[-removedSize, cost], positions, c.remaining];
}

/** The candidates not involving the contracted pair, renumbered for the new term list. */
function updateOtherResults(results: Candidate[], best: Candidate): Candidate[] {
  const [bx, by] = best[1];
  const out: Candidate[] = [];
  for (const [cost, [x, y], conSets] of results) {
    if (x === bx || x === by || y === bx || y === by) continue;
    conSets.splice(by - +(by > x) - +(by > y), 1);
    conSets.splice(bx - +(bx > x) - +(bx > y), 1);
    conSets.splice(conSets.length - 1, 0, best[2][best[2].length - 1]);
    out.push([cost, [x - +(x > bx) - +(x > by), y - +(y > bx) - +(y > by)], conSets]);
  }
  return out;
}

const lessCost = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** NumPy's 'greedy': contract the pair that removes the most (then costs least), step by step. */
function greedyPath(inputSets: Set<string>[], outputSet: Set<string>, sizes: Sizes, memoryLimit: number): Path {
  if (inputSets.length === 1) return [[0]];
  if (inputSets.length === 2) return [[0, 1]];
  const all = findContraction(range(inputSets.length), inputSets, outputSet);
  const naiveCost = flopCount(all.idxContract, all.idxRemoved.size > 0, inputSets.length, sizes);
  let combIter: Iterable<number[]> = combinations(inputSets.length);
  let known: Candidate[] = [];
  let pathCost = 0;
  const path: Path = [];
  const n = inputSets.length;
  for (let iteration = 0; iteration < n - 1; iteration++) {
    for (const positions of combIter) {
      const [p, q] = positions;
      if (isDisjoint(inputSets[p], inputSets[q])) continue;
      const r = possibleContraction(positions, inputSets, outputSet, sizes, memoryLimit, pathCost, naiveCost);
      if (r !== null) known.push(r);
    }
    if (known.length === 0) {
      for (const positions of combinations(inputSets.length)) {
        const r = possibleContraction(positions, inputSets, outputSet, sizes, memoryLimit, pathCost, naiveCost);
        if (r !== null) known.push(r);
      }
      if (known.length === 0) {
        path.push(range(inputSets.length));
        break;
      }
    }
    const best = known.reduce((b, r) => (lessCost(r[0], b[0]) ? r : b));
    known = updateOtherResults(known, best);
    inputSets = best[2];
    const newPos = inputSets.length - 1;
    combIter = range(newPos).map((i) => [i, newPos]);
    path.push(best[1]);
    pathCost += best[0][1];
  }
  return path;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
function combinations(n: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
  return out;
}
function isDisjoint(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return false;
  return true;
}

/** Python's str.count. */
const count = (s: string, sub: string): number => s.split(sub).length - 1;

/** One interleaved sublist as subscript letters (NumPy's Python parser). */
function sublistToSubscripts(sub: unknown): string {
  const items = sub instanceof ndarray ? (sub.ndim === 0 ? null : (sub.tolist() as unknown[])) : Array.isArray(sub) ? sub : null;
  if (items === null) throw new TypeError(`'${sub instanceof ndarray ? "numpy.ndarray" : pyType(sub)}' object is not iterable`);
  let s = "";
  for (const x of items) {
    if (isEllipsis(x)) {
      s += "...";
      continue;
    }
    let i: number;
    try {
      i = toIndex(x);
    } catch {
      throw new TypeError("For this input type lists must contain either int or Ellipsis");
    }
    const j = i < 0 ? i + EINSUM_SYMBOLS.length : i;
    if (j < 0 || j >= EINSUM_SYMBOLS.length) throw new IndexError("string index out of range");
    s += EINSUM_SYMBOLS[j];
  }
  return s;
}

/**
 * NumPy's Python parser of an einsum call (`_parse_einsum_input`): subscripts string or
 * interleaved sublists, ellipses spelled out with unused labels, implicit output filled in,
 * with its messages.
 */
export function parseEinsumInput(args: readonly unknown[]): ParsedEinsum {
  if (args.length === 0) throw new ValueError("No input operands");
  let subscripts: string;
  let operands: ndarray[];
  if (typeof args[0] === "string") {
    subscripts = args[0].replaceAll(" ", "");
    operands = args.slice(1).map((v) => asarray(v as ArrayLike));
    for (const s of subscripts) {
      if (".,->".includes(s)) continue;
      if (!EINSUM_SYMBOLS.includes(s)) throw new ValueError(`Character ${s} is not a valid symbol.`);
    }
  } else {
    const tmp = [...args];
    const opList: unknown[] = [];
    const subList: unknown[] = [];
    for (let p = 0; p < Math.floor(args.length / 2); p++) {
      opList.push(tmp.shift());
      subList.push(tmp.shift());
    }
    const outputList = tmp.length ? tmp[tmp.length - 1] : null;
    operands = opList.map((v) => asarray(v as ArrayLike));
    subscripts = subList.map(sublistToSubscripts).join(",");
    if (outputList !== null) subscripts += `->${sublistToSubscripts(outputList)}`;
  }
  if (subscripts.includes("-") || subscripts.includes(">")) {
    const invalid = count(subscripts, "-") > 1 || count(subscripts, ">") > 1;
    if (invalid || count(subscripts, "->") !== 1) throw new ValueError("Subscripts can only contain one '->'.");
  }
  if (subscripts.includes(".")) {
    const used = new Set(subscripts.replaceAll(".", "").replaceAll(",", "").replaceAll("->", ""));
    // NumPy takes the unused labels in set order; any unused labels give the same result.
    const ellipseInds = [...EINSUM_SYMBOLS].filter((c) => !used.has(c)).join("");
    let longest = 0;
    let split: string[];
    let outputSub = "";
    const outSub = subscripts.includes("->");
    if (outSub) {
      const [inp, o] = subscripts.split("->");
      split = inp.split(",");
      outputSub = o;
    } else split = subscripts.split(",");
    split.forEach((sub, num) => {
      if (!sub.includes(".")) return;
      if (count(sub, ".") !== 3 || count(sub, "...") !== 1) throw new ValueError("Invalid Ellipses.");
      if (num >= operands.length) throw new IndexError("list index out of range");
      const op = operands[num];
      const ellipseCount = op.ndim === 0 ? 0 : Math.max(op.ndim, 1) - (sub.length - 3);
      if (ellipseCount > longest) longest = ellipseCount;
      if (ellipseCount < 0) throw new ValueError("Ellipses lengths do not match.");
      split[num] = sub.replace("...", ellipseCount === 0 ? "" : ellipseInds.slice(-ellipseCount));
    });
    subscripts = split.join(",");
    const outEllipse = longest === 0 ? "" : ellipseInds.slice(-longest);
    if (outSub) subscripts += `->${outputSub.replace("...", outEllipse)}`;
    else {
      const tmp = subscripts.replaceAll(",", "");
      let outputSubscript = "";
      for (const s of [...new Set(tmp)].sort()) {
        if (!EINSUM_SYMBOLS.includes(s)) throw new ValueError(`Character ${s} is not a valid symbol.`);
        if (count(tmp, s) === 1) outputSubscript += s;
      }
      const normal = [...new Set(outputSubscript)].filter((c) => !outEllipse.includes(c)).sort();
      subscripts += `->${outEllipse}${normal.join("")}`;
    }
  }
  let inputSubscripts: string, outputSubscript: string;
  if (subscripts.includes("->")) [inputSubscripts, outputSubscript] = subscripts.split("->");
  else {
    inputSubscripts = subscripts;
    const tmp = subscripts.replaceAll(",", "");
    outputSubscript = "";
    for (const s of [...new Set(tmp)].sort()) {
      if (!EINSUM_SYMBOLS.includes(s)) throw new ValueError(`Character ${s} is not a valid symbol.`);
      if (count(tmp, s) === 1) outputSubscript += s;
    }
  }
  for (const c of outputSubscript) {
    if (count(outputSubscript, c) !== 1) throw new ValueError(`Output character ${c} appeared more than once in the output.`);
    if (!inputSubscripts.includes(c)) throw new ValueError(`Output character ${c} did not appear in the input`);
  }
  const inputs = inputSubscripts.split(",");
  if (inputs.length !== operands.length) throw new ValueError("Number of einsum subscripts must be equal to the number of operands.");
  return { inputs, output: outputSubscript, operands };
}

/** What `optimize` asks for: no search, a named search (with a memory limit), or a given path. */
export type PathChoice = { kind: "none" } | { kind: "search"; name: string; memoryLimit: number | null } | { kind: "explicit"; path: Path };

/** Read `optimize` as np.einsum_path does (True is 'greedy', None is False). */
export function pathChoice(optimize: unknown): PathChoice {
  if (optimize === true) return { kind: "search", name: "greedy", memoryLimit: null };
  if (optimize === false || optimize === null || optimize === undefined) return { kind: "none" };
  if (typeof optimize === "string") return { kind: "search", name: optimize, memoryLimit: null };
  if (!Array.isArray(optimize)) {
    if (typeof optimize === "number" || typeof optimize === "bigint") throw new TypeError(`object of type '${pyType(optimize)}' has no len()`);
    throw new TypeError(`Did not understand the path: ${String(optimize)}`);
  }
  if (optimize.length && optimize[0] === "einsum_path") {
    return { kind: "explicit", path: optimize.slice(1).map((t) => (Array.isArray(t) ? t.map(toIndex) : [toIndex(t)])) };
  }
  if (optimize.length === 2 && typeof optimize[0] === "string" && typeof optimize[1] === "number") {
    return { kind: "search", name: optimize[0], memoryLimit: Math.trunc(optimize[1]) };
  }
  throw new TypeError(`Did not understand the path: ${pyListStr(optimize)}`);
}

const pyListStr = (xs: unknown[]): string =>
  `[${xs.map((x) => (typeof x === "string" ? `'${x}'` : Array.isArray(x) ? `(${x.join(", ")}${x.length === 1 ? "," : ""})` : String(x))).join(", ")}]`;

/** The size of every label (the largest where operands broadcast a 1), with NumPy's checks. */
export function labelSizes(parsed: ParsedEinsum): Sizes {
  const sizes: Sizes = new Map();
  const inputSubscripts = parsed.inputs.join(",");
  parsed.inputs.forEach((term, tnum) => {
    const sh = parsed.operands[tnum].shape;
    if (sh.length !== term.length) {
      if (tnum >= inputSubscripts.length) throw new IndexError("string index out of range");
      throw new ValueError(`Einstein sum subscript ${inputSubscripts[tnum]} does not contain the correct number of indices for operand ${tnum}.`);
    }
    [...term].forEach((c, cnum) => {
      const dim = sh[cnum];
      const prev = sizes.get(c);
      if (prev === undefined || prev === 1) sizes.set(c, dim);
      else if (dim !== 1 && dim !== prev)
        throw new ValueError(`Size of label '${c}' for operand ${tnum} (${prev}) does not match previous terms (${dim}).`);
    });
  });
  return sizes;
}

/** The path `choice` gives for these terms (one group of all operands when nothing is to optimize). */
export function findPath(inputs: readonly string[], output: string, sizes: Sizes, choice: PathChoice): Path {
  const n = inputs.length;
  if (choice.kind === "explicit") return choice.path;
  const indices = new Set(inputs.join(""));
  const outputSet = new Set(output);
  if (choice.kind === "none" || n === 1 || n === 2 || (indices.size === outputSet.size && [...indices].every((i) => outputSet.has(i)))) {
    return [range(n)];
  }
  const memory = choice.memoryLimit ?? Math.max(...[...inputs, output].map((t) => sizeOf(t, sizes)));
  const inputSets = inputs.map((t) => new Set(t));
  if (choice.name === "greedy") return greedyPath(inputSets, outputSet, sizes, memory);
  if (choice.name === "optimal") return optimalPath(inputSets, outputSet, sizes, memory);
  throw new KeyError(`('Path name %s not found', '${choice.name}')`);
}

/** What a path does, step by step, and the figures np.einsum_path prints. */
export interface ContractionPlan {
  steps: Contraction[];
  costs: number[];
  scales: number[];
  sizes: number[];
}

/** The contraction list of a path: each step's einsum string, intermediates' indices sorted by size. */
export function contractionList(inputs: readonly string[], output: string, sizes: Sizes, path: Path): ContractionPlan {
  const inputList = [...inputs];
  let inputSets = inputs.map((t) => new Set(t));
  const outputSet = new Set(output);
  const plan: ContractionPlan = { steps: [], costs: [], scales: [], sizes: [] };
  path.forEach((group, cnum) => {
    const inds = [...group].sort((a, b) => b - a);
    const c = findContraction(inds, inputSets, outputSet);
    inputSets = c.remaining;
    plan.costs.push(flopCount(c.idxContract, c.idxRemoved.size > 0, inds.length, sizes));
    plan.scales.push(c.idxContract.size);
    plan.sizes.push(sizeOf(c.newResult, sizes));
    const tmp: string[] = [];
    for (const x of inds) {
      if (x >= inputList.length) throw new IndexError("pop index out of range");
      tmp.push(inputList.splice(x, 1)[0]);
    }
    let idxResult: string;
    if (cnum === path.length - 1) idxResult = output;
    else idxResult = [...c.newResult].sort((a, b) => sizes.get(a)! - sizes.get(b)! || (a < b ? -1 : a > b ? 1 : 0)).join("");
    inputList.push(idxResult);
    plan.steps.push([inds, `${tmp.join(",")}->${idxResult}`, [...inputList]]);
  });
  if (inputList.length !== 1) throw new RuntimeError(`Invalid einsum_path is specified: ${inputList.length - 1} more operands has to be contracted.`);
  return plan;
}

/** Python's `%.3e`: ties to even (the counts are integers, rounded here exactly), a two-digit exponent. */
function sci(x: number): string {
  let mant: string, exp: number;
  if (Number.isSafeInteger(x) && x > 0) {
    const digits = String(x);
    exp = digits.length - 1;
    let head = Number(digits.slice(0, 4).padEnd(4, "0"));
    const rest = digits.slice(4);
    const half = rest === "" ? -1 : rest[0] > "5" || (rest[0] === "5" && /[1-9]/.test(rest.slice(1))) ? 1 : rest[0] === "5" ? 0 : -1;
    if (half > 0 || (half === 0 && head % 2 === 1)) head++;
    if (head === 10000) {
      head = 1000;
      exp++;
    }
    mant = `${String(head)[0]}.${String(head).slice(1)}`;
  } else {
    const [m, e] = x.toExponential(3).split("e");
    mant = m;
    exp = Number(e);
  }
  return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** Python's `%.3f`, whose exact ties go to even (JavaScript's toFixed rounds them up). */
function fixed3(x: number): string {
  const scaled = x * 1000;
  if (!Number.isInteger(scaled) && Number.isInteger(scaled * 2)) {
    const down = Math.floor(scaled);
    return ((down % 2 === 0 ? down : down + 1) / 1000).toFixed(3);
  }
  return x.toFixed(3);
}

/** np.einsum_path's printed report. */
function report(parsed: ParsedEinsum, sizes: Sizes, plan: ContractionPlan): string {
  const inputSubscripts = parsed.inputs.join(",");
  const indices = new Set(parsed.inputs.join(""));
  const inner = parsed.inputs.reduce((s, x) => s + new Set(x).size, 0) - indices.size > 0;
  const naive = flopCount(indices, inner, parsed.inputs.length, sizes);
  const opt = plan.costs.reduce((s, c) => s + c, 0) + 1;
  const lines = [
    `  Complete contraction:  ${inputSubscripts}->${parsed.output}`,
    `         Naive scaling:  ${indices.size}`,
    `     Optimized scaling:  ${Math.max(...plan.scales)}`,
    `      Naive FLOP count:  ${sci(naive)}`,
    `  Optimized FLOP count:  ${sci(opt)}`,
    `   Theoretical speedup:  ${fixed3(naive / opt)}`,
    `  Largest intermediate:  ${sci(Math.max(...plan.sizes))} elements`,
    "-".repeat(74),
    `${"scaling".padStart(6)} ${"current".padStart(24)} ${"remaining".padStart(40)}`,
    "-".repeat(74),
  ];
  let text = lines.join("\n");
  plan.steps.forEach(([, einsumStr, remaining], n) => {
    text += `\n${String(plan.scales[n]).padStart(4)}    ${einsumStr.padStart(24)} ${`${remaining.join(",")}->${parsed.output}`.padStart(40)}`;
  });
  return text;
}

/**
 * np.einsum_path(subscripts, *operands, optimize='greedy'): the contraction order NumPy's
 * search picks (`['einsum_path', [0, 1], …]`) and its printed report.
 */
export const einsum_path = def(
  "einsum_path",
  "*operands, optimize='greedy', einsum_call=False",
  { operands: arg.any, optimize: arg.any, einsum_call: arg.bool },
  (p): [unknown[], string] | [ndarray[], Contraction[]] => {
    const choice = pathChoice(p.optimize);
    const parsed = parseEinsumInput(p.operands);
    const sizes = labelSizes(parsed);
    const path = findPath(parsed.inputs, parsed.output, sizes, choice);
    const plan = contractionList(parsed.inputs, parsed.output, sizes, path);
    if (p.einsum_call) return [parsed.operands, plan.steps];
    return [["einsum_path", ...path], report(parsed, sizes, plan)];
  },
);
