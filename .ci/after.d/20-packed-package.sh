#!/usr/bin/env bash
# Packs ag2ts and installs the tarball into fresh ESM, CommonJS and Deno consumers.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"
for kind in esm cjs; do
  cp -r ".ci/consumers/$kind" "$work/$kind"
  (cd "$work/$kind" && npm install --no-audit --no-fund --loglevel=error "$work/$tarball" @types/node@20 >/dev/null)
done
(cd "$work/esm" && "$root/node_modules/.bin/tsc" -p tsconfig.json)
echo "ESM consumer type-checks"
(cd "$work/esm" && "$root/node_modules/.bin/tsc" -p tsconfig.json --noEmit false --outDir out && node out/main.js)
(cd "$work/cjs" && node main.js)
(cd "$work/esm" && "$root/node_modules/.bin/deno" run -A out/main.js)
