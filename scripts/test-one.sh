#!/usr/bin/env bash
# Build, then run one test file (or a few) with Node's test runner:
#   npm run test:one -- test/numpy/sorting.test.ts            (the source …)
#   npm run test:one -- dist/test/numpy/sorting.test.js       (… or the compiled file)
#   npm run test:one -- test/numpy/sorting.test.ts --test-name-pattern=argsort
# test/x/y.test.ts runs as dist/test/x/y.test.js; arguments starting with '-' go to node.
# TESSERA_* settings pass through: TESSERA_CPUS=2 npm run test:one -- test/numpy/io.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: npm run test:one -- test/<folder>/<name>.test.ts [more files] [node --test options]"
files=()
opts=()
for a in "$@"; do
  case $a in
    -*) opts+=("$a"); continue ;;
  esac
  f=${a#"$PWD"/}
  f=${f#./}
  case $f in
    test/*.ts) f=dist/${f%.ts}.js ;;
    dist/test/*.js) ;;
    *) echo "test:one: '$a' is neither test/….ts nor dist/test/….js" >&2; echo "$usage" >&2; exit 2 ;;
  esac
  files+=("$f")
done
[ ${#files[@]} -gt 0 ] || { echo "$usage" >&2; exit 2; }
npm run build --silent
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "test:one: $f does not exist after the build" >&2; exit 2; }
done
exec node --test --test-concurrency=1 ${opts[@]+"${opts[@]}"} "${files[@]}"
