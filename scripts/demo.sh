#!/usr/bin/env bash
# Install, build and run the demo: Black-Scholes on 10M options on every core, next to NumPy.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi
npm run build --silent
node dist/examples/blackscholes.js "$@"
