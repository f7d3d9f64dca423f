/**
 * np.info and np.get_include. The expected text is NumPy 2's output for the same objects
 * (np.info(obj, output=io.StringIO())), less the data pointer (an address in NumPy).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import * as np from "tessera";

function infoText(object: unknown, opts: Record<string, unknown> = {}): string {
  let text = "";
  np.info(object, { ...opts, output: { write: (s: string) => (text += s) } });
  return text;
}

test("np.info(array) prints NumPy's description of the array's layout", () => {
  const cases: [np.ndarray, string[]][] = [
    [
      np.arange(6, { dtype: "float64" }).reshape(2, 3),
      [
        "class:  ndarray",
        "shape:  (2, 3)",
        "strides:  (24, 8)",
        "itemsize:  8",
        "aligned:  True",
        "contiguous:  True",
        "fortran:  False",
        "byteorder:  little",
        "byteswap:  False",
        "type: float64",
      ],
    ],
    [
      np.zeros([3, 4], "int32").get(":, ::2").T,
      [
        "class:  ndarray",
        "shape:  (2, 3)",
        "strides:  (8, 16)",
        "itemsize:  4",
        "aligned:  True",
        "contiguous:  False",
        "fortran:  False",
        "byteorder:  little",
        "byteswap:  False",
        "type: int32",
      ],
    ],
    [
      np.ones([5], "float32"),
      [
        "class:  ndarray",
        "shape:  (5,)",
        "strides:  (4,)",
        "itemsize:  4",
        "aligned:  True",
        "contiguous:  True",
        "fortran:  True",
        "byteorder:  little",
        "byteswap:  False",
        "type: float32",
      ],
    ],
    [
      np.array(3.5),
      [
        "class:  ndarray",
        "shape:  ()",
        "strides:  ()",
        "itemsize:  8",
        "aligned:  True",
        "contiguous:  True",
        "fortran:  True",
        "byteorder:  little",
        "byteswap:  False",
        "type: float64",
      ],
    ],
  ];
  for (const [a, want] of cases) {
    const lines = infoText(a).trimEnd().split("\n");
    assert.match(lines.find((l) => l.startsWith("data pointer:")) ?? "", /^data pointer: storage \d+ \+ \d+ bytes$/);
    assert.deepEqual(
      lines.filter((l) => !l.startsWith("data pointer:")),
      want,
    );
  }
});

test("np.info(function) prints NumPy's signature, cut to maxwidth as NumPy cuts it", () => {
  assert.equal(infoText(np.info).split("\n\n")[0], " info(object=None, maxwidth=76, output=None, toplevel='numpy')");
  assert.equal(infoText(np.info, { maxwidth: 40 }).split("\n\n")[0], " info(object=None, maxwidth=76,\n      output=None, toplevel='numpy')");
  assert.equal(infoText(null), infoText(np.info));
  assert.equal(infoText(np.get_include).split("\n\n")[0], " get_include()");
  // Functions of submodules are named by their module, with the page that documents them.
  assert.match(infoText(np.linalg.norm), /^ norm\(x, ord=None, axis=None, keepdims=False\)\n\n.*numpy\.linalg\.norm/s);
  assert.match(infoText(np.add), /^ add\(x1, x2, \/, out=None, \*, where=True, casting='same_kind'/);
});

test("np.info(name) looks the name up in numpy and its submodules", () => {
  assert.equal(infoText("nosuch_thing"), "Help for nosuch_thing not found.\n");
  const norm = infoText("norm");
  assert.match(norm, /^ {5}\*\*\* Found in numpy\.linalg \*\*\*\n norm\(/);
  assert.match(norm, /\n {5}\*\*\* Total of 1 references found\. \*\*\*\n$/);
  // "fft" is the module np.fft and its function np.fft.fft.
  const fft = infoText("fft");
  assert.match(fft, /\*\*\* Found in numpy \*\*\*\nTessera's numpy\.fft\.\n\nFunctions:\n\n {2}fft {2}-- {2}fft\(a, n=None/);
  assert.match(fft, /\*\*\* Found in numpy\.fft \*\*\*\n fft\(a, n=None/);
  assert.match(fft, /Total of 2 references found/);
  assert.throws(() => infoText("sum", { toplevel: "scipy" }), { name: "ModuleNotFoundError", message: "No module named 'scipy'" });
  assert.throws(() => np.info(np.add, { output: 3 as never }), { name: "AttributeError", message: "'int' object has no attribute 'write'" });
  // As in NumPy, a float width is a width.
  assert.equal(infoText(np.info, { maxwidth: 40.5 }).split("\n\n")[0], " info(object=None, maxwidth=76,\n      output=None, toplevel='numpy')");
  assert.throws(() => (np.info as unknown as (...a: unknown[]) => void)(np.add, { maxwdith: 3 }), {
    name: "TypeError",
    message: "info() got an unexpected keyword argument 'maxwdith'",
  });
});

test("np.info(class) lists the class's methods with their signatures", () => {
  const text = infoText(np.ndarray);
  assert.match(text, /^ ndarray\(\)\n/);
  assert.match(text, /\n {2}sum {2}-- {2}sum\(axis=None, dtype=None, out=None/);
});

test("np.get_include() is the directory of tessera/kernel.h, usable from C with NumPy's integer semantics", (t) => {
  const dir = np.get_include();
  assert.ok(path.isAbsolute(dir));
  assert.ok(existsSync(path.join(dir, "tessera", "kernel.h")));
  let cc = "";
  for (const c of [process.env.CC ?? "", "cc", "gcc", "clang"].filter(Boolean)) {
    try {
      execFileSync(c, ["--version"], { stdio: "ignore" });
      cc = c;
      break;
    } catch {
      /* try the next */
    }
  }
  if (!cc) return t.skip("no C compiler");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "tessera-include-"));
  try {
    writeFileSync(
      path.join(tmp, "t.c"),
      "#include <tessera/kernel.h>\nint64_t mod(int64_t a, int64_t b) { return imodpy(a, b); }\nint64_t fdiv(int64_t a, int64_t b) { return ifloordiv(a, b); }\n",
    );
    execFileSync(cc, ["-O2", "-shared", "-fPIC", "-I", dir, "-o", path.join(tmp, "t.so"), path.join(tmp, "t.c"), "-lm"]);
    const koffi = createRequire(import.meta.url)("koffi") as { load(p: string): { func(s: string): (...a: unknown[]) => unknown } };
    const lib = koffi.load(path.join(tmp, "t.so"));
    const mod = lib.func("int64_t mod(int64_t, int64_t)"),
      fdiv = lib.func("int64_t fdiv(int64_t, int64_t)");
    for (const [a, b] of [
      [-7, 3],
      [7, -3],
      [-7, -3],
      [5, 0],
    ]) {
      assert.equal(Number(mod(a, b)), Number(np.mod(np.int64(a), np.int64(b)).item()), `mod(${a}, ${b})`);
      assert.equal(Number(fdiv(a, b)), Number(np.floor_divide(np.int64(a), np.int64(b)).item()), `floor_divide(${a}, ${b})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
