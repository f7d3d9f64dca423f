#!/usr/bin/env bash
# The whole test suite on a fresh Debian/Ubuntu machine: installs what the tests need,
# builds, then runs every test with 1 and with 2 CPU workers (results must agree).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests need: a C compiler for native kernels and OpenBLAS for matmul.
# Installed when root, else named.
DEB_PACKAGES=(gcc libc6-dev libopenblas0-pthread)
missing=()
for p in "${DEB_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "tessera tests need these Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build --silent

status=0
for cpus in 1 2; do
  echo "=== test suite with TESSERA_CPUS=$cpus ==="
  TESSERA_CPUS=$cpus node --test --test-concurrency=1 --test-reporter=spec dist/test/ || status=1
done
# The compiled-C kernel path for every launch, however small (by default only large launches
# use it), so it passes the same conformance suite as the JS kernels.
echo "=== test suite with TESSERA_KERNELS=c ==="
TESSERA_KERNELS=c TESSERA_CPUS=2 node --test --test-concurrency=1 --test-reporter=dot dist/test/ || status=1
exit $status
