#!/usr/bin/env bash
# The whole test suite on a fresh Debian/Ubuntu machine: installs what the tests need,
# builds, then runs every test with 1 and with 2 CPU workers (results must agree).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests need: a C compiler for native kernels, OpenBLAS for matmul,
# OpenMPI for multi-rank runs, a Vulkan driver for WebGPU (Mesa lavapipe runs it on the CPU;
# Debian 12's own Mesa is too old for Dawn, so it comes from bookworm-backports there), and
# Chromium for the browser build's test (headless, WebGPU on its SwiftShader adapter), and
# the Parquet page codecs the direct reader calls (libsnappy; libzstd and liblz4 come with Debian).
# Installed when root, else named.
DEB_PACKAGES=(gcc libc6-dev libopenblas0-pthread openmpi-bin libopenmpi-dev chromium libsnappy1v5 libzstd1 liblz4-1)
missing=()
for p in "${DEB_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
mesa_ok() { dpkg -s mesa-vulkan-drivers >/dev/null 2>&1 && dpkg --compare-versions "$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)" ge 24; }
need_mesa=0; mesa_ok || need_mesa=1
if [ ${#missing[@]} -gt 0 ] || [ $need_mesa = 1 ]; then
  if [ "$(id -u)" = 0 ]; then
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    if [ $need_mesa = 1 ] && [ "$codename" = bookworm ] && [ ! -f /etc/apt/sources.list.d/tessera-backports.sources ]; then
      printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > /etc/apt/sources.list.d/tessera-backports.sources
    fi
    apt-get update -q
    [ ${#missing[@]} -gt 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    if [ $need_mesa = 1 ]; then
      if [ "$codename" = bookworm ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t bookworm-backports mesa-vulkan-drivers
      else DEBIAN_FRONTEND=noninteractive apt-get install -y -q mesa-vulkan-drivers; fi
    fi
  else
    echo "tessera tests need these Debian packages: ${missing[*]} mesa-vulkan-drivers(>= 24, bookworm-backports on Debian 12)" >&2
    echo "install them as root, or run this script as root to have it do so" >&2
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
# WebGPU (lavapipe here, a real GPU elsewhere): every launch WebGPU supports goes to the GPU,
# however small. No adapter is a failure, not a skip.
echo "=== test suite with TESSERA_GPUS=1 (WebGPU) ==="
TESSERA_GPUS=1 TESSERA_GPU_MIN=0 TESSERA_CPUS=2 node --test --test-concurrency=1 --test-reporter=dot dist/test/ || status=1
# MPI: the conformance suite (and the other NumPy suites) as 2 and 4 ranks, oversubscribed,
# with every launch cut into one piece per rank so that data really crosses ranks. A rank
# that fails a test ends the job with a non-zero status.
mpi_flags=(--oversubscribe --bind-to none)
[ "$(id -u)" = 0 ] && mpi_flags+=(--allow-run-as-root)
for ranks in 2 4; do
  files=(dist/test/numpy/conformance.test.js dist/test/numpy/linalg.test.js dist/test/numpy/fft.test.js)
  [ $ranks = 2 ] && files+=(dist/test/core/renaming.test.js dist/test/numpy/ndarray.test.js dist/test/numpy/sorting.test.js dist/test/numpy/indexing.test.js dist/test/numpy/products.test.js dist/test/numpy/generator.test.js dist/test/numpy/printing.test.js dist/test/numpy/cumulative.test.js dist/test/numpy/arrow.test.js dist/test/numpy/parquet_direct.test.js dist/test/numpy/ufuncs_math.test.js dist/test/numpy/routines_extra.test.js dist/test/numpy/ndarray_memory.test.js dist/test/numpy/order_large.test.js dist/test/numpy/genfromtxt.test.js)
  for f in "${files[@]}"; do
    echo "=== $f on $ranks MPI ranks ==="
    TESSERA_CPUS=1 TESSERA_INLINE_WORK=0 TESSERA_MIN_PIECE_WORK=1 timeout 900 \
      mpirun "${mpi_flags[@]}" -np $ranks node --test-reporter=dot "$f" || { echo "FAILED: $f on $ranks ranks"; status=1; }
  done
done
exit $status
