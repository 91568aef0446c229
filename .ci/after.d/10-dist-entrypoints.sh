#!/usr/bin/env bash
# The built package loads from CommonJS, ESM and Deno, and runs a chat.
set -euo pipefail
cd "$(dirname "$0")/../.."
node -e '
const m = require("./dist/index.cjs");
for (const k of ["ConversableAgent", "AssistantAgent", "UserProxyAgent"]) if (typeof m[k] !== "function") throw new Error("CJS build lacks " + k);
console.log("CJS entry ok");
'
node --input-type=module -e '
const m = await import("./dist/index.mjs");
for (const k of ["ConversableAgent", "AssistantAgent", "UserProxyAgent"]) if (typeof m[k] !== "function") throw new Error("ESM build lacks " + k);
console.log("ESM entry ok");
'
node examples/two-agent-chat.mjs > /tmp/ag2ts-example.out
grep -q "^Summary: There are 8 prime numbers below 20.$" /tmp/ag2ts-example.out
echo "example ok"
npx deno run -A examples/two-agent-chat.mjs > /tmp/ag2ts-deno.out
diff /tmp/ag2ts-example.out /tmp/ag2ts-deno.out
echo "deno run ok"
