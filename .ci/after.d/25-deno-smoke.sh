#!/usr/bin/env bash
# Deno: the built ESM entry runs a chat, a tool call and code execution
# (.ci/deno-smoke.mjs full), and importing it plus a chat and a tool call load
# no Node-only module: .ci/deno-lazy-imports.json maps child_process, fs,
# readline, dockerode, redis, ... to a module that throws when loaded.
set -euo pipefail
cd "$(dirname "$0")/../.."
deno=node_modules/.bin/deno
"$deno" run -A .ci/deno-smoke.mjs full
"$deno" run -A --node-modules-dir=manual --import-map .ci/deno-lazy-imports.json .ci/deno-smoke.mjs lazy
