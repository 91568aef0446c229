#!/usr/bin/env bash
# Runs every script in examples/ under node on the scripted model and checks a
# key line of its output (the scripted runs are deterministic); then under Deno.
set -euo pipefail
cd "$(dirname "$0")/../.."
unset OPENAI_API_KEY
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

check() { # check <example> <exact line>...
  local name=$1; shift
  node "examples/$name.mjs" > "$out/$name.out" 2>&1 || { cat "$out/$name.out" >&2; echo "examples/$name.mjs failed" >&2; exit 1; }
  local line
  for line in "$@"; do
    grep -qxF -- "$line" "$out/$name.out" || {
      cat "$out/$name.out" >&2
      echo "examples/$name.mjs: missing line: $line" >&2
      exit 1
    }
  done
  echo "examples/$name.mjs ok"
}

check two-agent-chat "Summary: There are 8 prime numbers below 20."
check coding-chat \
  "Code runs: exitcode: 1 (execution failed) | exitcode: 0 (execution succeeded)" \
  "Code output: 8 [2, 3, 5, 7, 11, 13, 17, 19]" \
  "Summary: There are 8 primes below 20."
check tool-use ">>>>>>>> EXECUTING FUNCTION get_weather..." "Tool answered: 64F in Paris" "Summary: It is 64F in Paris."
check sequential-chats \
  'Carried over: "Write one sentence for a newsletter.\nContext: \nAudience: backend developers.\nFinding: Node 20 ships fetch, a test runner and AsyncLocalStorage.\n"'
check group-chat "Next speaker: planner" "Next speaker: writer" "Speakers: user -> planner -> writer"
check structured-output "Final Answer: x = -3.75" "Answer: Final Answer: x = -3.75"
check image-question "<image>" "The dog in the picture is a Golden Retriever." "Parts sent: text, image_url"
check human-input "user_proxy: Please double-check the even numbers." "Human turns: 2"
check transform-messages \
  "History before the chat: 200 messages, 15203 tokens" \
  "Removed 191 messages. Number of messages reduced from 201 to 10." \
  "Truncated 180 tokens. Number of tokens reduced from 637 to 457" \
  "Model received: 11 messages, 916 tokens (window 1000)" \
  "Stored history: 202 messages"

# ag2ts/queue (Node only): the fleet example, two worker processes on redis-server, through its HTTP API.
node examples/queue/fleet.mjs --once > "$out/queue-fleet.out" 2>&1 || { cat "$out/queue-fleet.out" >&2; echo "examples/queue/fleet.mjs failed" >&2; exit 1; }
for line in \
  "research run: 6 messages, stop_reason=termination_msg, status=completed" \
  "support run: waiting_for_input, prompt: Give feedback to support. Press enter or type 'exit' to stop the conversation: " \
  'support run: completed, human_input=["Where is my invoice?",""], stop_reason=termination_msg'; do
  grep -qxF -- "$line" "$out/queue-fleet.out" || { cat "$out/queue-fleet.out" >&2; echo "examples/queue/fleet.mjs: missing line: $line" >&2; exit 1; }
done
echo "examples/queue/fleet.mjs ok"

# The same scripts under Deno print the same (coding-chat's output holds temporary paths).
for n in two-agent-chat tool-use sequential-chats group-chat human-input transform-messages structured-output image-question; do
  node_modules/.bin/deno run -A "examples/$n.mjs" > "$out/$n.deno" 2>&1 || { cat "$out/$n.deno" >&2; exit 1; }
  diff "$out/$n.out" "$out/$n.deno" || { echo "examples/$n.mjs prints differently under Deno" >&2; exit 1; }
  echo "examples/$n.mjs ok under deno"
done

# Every example in the folder is checked, above or by another CI step.
for f in examples/*.mjs; do
  n=$(basename "$f" .mjs)
  [ -f "$out/$n.out" ] && continue
  grep -lq "examples/$n.mjs" .ci/after.d/*.sh 2>/dev/null && grep -l "examples/$n.mjs" .ci/after.d/*.sh | grep -qv 15-examples.sh && continue
  echo "$f is not run by any .ci/after.d step: add a check" >&2; exit 1
done
