// NumPy coverage: which of the functions on NumPy's reference pages (scripts/data/
// numpy-api-sections.json, NumPy 2.4.6) Tessera has, per section, and the share of NumPy
// calls in public code they account for (scripts/data/numpy-usage.json). Run by
// `npm run coverage` (`-- --json` for machine-readable output, `-- --missing` to list the
// missing names per section).
import { readFileSync } from "node:fs";

const np = await import("../dist/src/index.js");
const data = (f) => JSON.parse(readFileSync(new URL(`./data/${f}`, import.meta.url), "utf8"));
const sections = data("numpy-api-sections.json");
const usage = data("numpy-usage.json").counts;
const args = process.argv.slice(2);

const a = np.arange(6, { dtype: "float64" }).reshape(2, 3);
const rng = np.random.default_rng(0);
// Python's operator protocols and their JavaScript spelling on ndarray.
const DUNDER = {
  __add__: "add",
  __sub__: "subtract",
  __mul__: "multiply",
  __truediv__: "divide",
  __floordiv__: "floor_divide",
  __mod__: "mod",
  __pow__: "power",
  __matmul__: "matmul",
  __and__: "and",
  __or__: "or",
  __xor__: "xor",
  __lshift__: "left_shift",
  __rshift__: "right_shift",
  __eq__: "eq",
  __ne__: "ne",
  __lt__: "lt",
  __le__: "le",
  __gt__: "gt",
  __ge__: "ge",
  __neg__: "neg",
  __pos__: "positive",
  __abs__: "abs",
  __invert__: "invert",
  __divmod__: "divmod",
  __getitem__: "get",
  __setitem__: "set",
  __iter__: Symbol.iterator,
  __len__: "length",
  __repr__: "toString",
  __str__: "toString",
  __float__: "item",
  __int__: "item",
  __copy__: "copy",
  __deepcopy__: "copy",
  __contains__: "includes",
};
const has = (obj, name) => obj != null && name in Object(obj);
function present(ns, name) {
  switch (ns) {
    case "top":
      return has(np, name);
    case "linalg":
      return has(np.linalg, name);
    case "fft":
      return has(np.fft, name);
    case "random":
      return has(np.random, name);
    case "generator":
      return has(rng, name);
    case "ndarray":
      return has(a, name);
    case "ndarray_dunder": {
      const m = name.match(/^__i(.+)__$/);
      if (m && DUNDER[`__${m[1]}__`]) return has(a, `i${m[1]}`); // a += b is a.iadd(b)
      return DUNDER[name] !== undefined && has(a, DUNDER[name]);
    }
    case "ufunc":
      return has(np.add, name);
    default:
      return false;
  }
}

const rows = [];
for (const g of sections.groups) {
  const names = [...new Set(g.names)];
  const have = names.filter((n) => present(g.ns, n));
  rows.push({
    id: g.id,
    title: g.title,
    separate: g.separate,
    have: have.length,
    total: names.length,
    missing: names.filter((n) => !present(g.ns, n)),
  });
}
// Usage-weighted share: NumPy call sites per namespace:name.
const NS = { top: "top", random: "random", linalg: "linalg", fft: "fft", ufunc: "ufunc", ndarray: "ndarray" };
let all = 0,
  covered = 0;
const missingCalls = [];
for (const [key, count] of Object.entries(usage)) {
  const [ns, name] = key.split(":");
  if (!(ns in NS)) continue;
  all += count;
  if (present(NS[ns], name)) covered += count;
  else missingCalls.push([key, count]);
}
missingCalls.sort((x, y) => y[1] - x[1]);
const main = rows.filter((r) => !r.separate);
const mainHave = main.reduce((s, r) => s + r.have, 0),
  mainTotal = main.reduce((s, r) => s + r.total, 0);

if (args.includes("--json")) {
  console.log(
    JSON.stringify(
      { sections: rows, main: { have: mainHave, total: mainTotal }, usageShare: covered / all, topMissingCalls: missingCalls.slice(0, 50) },
      null,
      1,
    ),
  );
} else {
  const pct = (x) => `${(100 * x).toFixed(0)}%`;
  console.log(`NumPy ${sections.source.match(/\d+\.\d+\.\d+/)?.[0] ?? ""} reference sections: functions Tessera has\n`);
  console.log(`${"section".padEnd(48)} ${"have".padStart(5)} ${"of".padStart(5)} ${"share".padStart(6)}`);
  for (const r of rows) {
    console.log(
      `${(r.title + (r.separate ? " *" : "")).padEnd(48)} ${String(r.have).padStart(5)} ${String(r.total).padStart(5)} ${pct(r.have / r.total).padStart(6)}`,
    );
    if (args.includes("--missing") && r.missing.length) console.log(`    missing: ${r.missing.join(", ")}`);
  }
  console.log(
    `${"main sections (without *)".padEnd(48)} ${String(mainHave).padStart(5)} ${String(mainTotal).padStart(5)} ${pct(mainHave / mainTotal).padStart(6)}`,
  );
  console.log(`\nNumPy calls in public code (${data("numpy-usage.json").population}) that Tessera has: ${pct(covered / all)}`);
  console.log(
    `most-called missing: ${missingCalls
      .slice(0, 25)
      .map(([k, c]) => `${k} (${c})`)
      .join(", ")}`,
  );
}
process.exit(0);
