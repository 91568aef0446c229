#!/usr/bin/env bash
# The server-sent-events example (README "Watching a chat as it happens")
# runs against the built package on the scripted model and exits by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout 60 env -u OPENAI_API_KEY node examples/sse-group-chat.mjs --once > "$out"
cat "$out"
expected='== a full group chat ==
user [chat:1]: Explain server-sent events
next speaker: planner
planner [chat:1 > group:chat_manager]: 1. Say what SSE is. 2. Give one use.
next speaker: writer
writer [chat:1 > group:chat_manager]: Server-sent events stream updates from a server to a browser over one HTTP response.
next speaker: critic
critic [chat:1 > group:chat_manager]: Clear and correct. TERMINATE
termination: termination_msg by chat_manager (Termination message condition on the GroupChatManager '"'"'chat_manager'"'"' met)
result: stop_reason=termination_msg stopped_by=chat_manager messages=1
== cancelled by a 1000 ms timer while the writer'"'"'s model is busy ==
user [chat:1]: Explain server-sent events
next speaker: planner
planner [chat:1 > group:chat_manager]: 1. Say what SSE is. 2. Give one use.
next speaker: writer
termination: aborted by nobody (The chat was aborted: The operation was aborted due to timeout)
result: stop_reason=aborted stopped_by=null messages=1'
diff <(printf '%s\n' "$expected") "$out"
echo "sse example ok"
