#!/usr/bin/env bash
# SQLite runtime logging (spec 60 §4) needs node:sqlite, which Node 20 lacks:
# run it under Deno against the built package (dist/index.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx deno run -A test/logging/deno/sqlite-logging.mjs
