/**
 * Renders events in AG2's console layout (spec 60 §3).
 */
import type { Message, ToolCall, ToolResponse } from "../core/types";
import { content_str } from "../core/messages";
import type { OutputStream } from "./base";
import { colored } from "./colored";
import type { AG2Event } from "./events";

const RULE = "-".repeat(80);

function rule(out: OutputStream): void {
  out.print("\n", RULE, { flush: true, sep: "" });
}

function starred(out: OutputStream, title: string, body: () => void): void {
  out.print(colored(title, "green"), { flush: true });
  body();
  out.print(colored("*".repeat(title.length), "green"), { flush: true });
}

function printToolResponse(out: OutputStream, response: ToolResponse | Message): void {
  const id = (response as { tool_call_id?: string }).tool_call_id || "No id found";
  starred(out, `***** Response from calling tool (${id}) *****`, () =>
    out.print(content_str(response.content as Message["content"]), { flush: true }),
  );
}

function printReceivedMessage(out: OutputStream, event: Extract<AG2Event, { type: "received_message" }>): void {
  const { message } = event;
  out.print(`${colored(event.sender, "yellow")} (to ${event.recipient}):\n`, { flush: true });
  if (message.role === "function") {
    starred(out, `***** Response from calling function (${message.name || "No id found"}) *****`, () =>
      out.print(content_str(message.content as Message["content"]), { flush: true }),
    );
    rule(out);
    return;
  }
  if (message.role === "tool") {
    const responses = message.tool_responses && message.tool_responses.length > 0 ? message.tool_responses : [message];
    for (const response of responses) {
      printToolResponse(out, response);
      rule(out);
    }
    return;
  }
  for (const response of message.tool_responses ?? []) printToolResponse(out, response);
  if (event.content !== null) out.print(event.content, { flush: true });
  if (message.function_call) {
    const call = message.function_call;
    starred(out, `***** Suggested function call: ${call.name || "(No function name found)"} *****`, () =>
      out.print("Arguments: \n", call.arguments || "(No arguments found)", { flush: true, sep: "" }),
    );
  }
  for (const call of (message.tool_calls ?? []) as ToolCall[]) {
    const fn = call.function ?? ({} as ToolCall["function"]);
    starred(out, `***** Suggested tool call (${call.id || "No tool call id found"}): ${fn.name || "(No function name found)"} *****`, () =>
      out.print("Arguments: \n", fn.arguments || "(No arguments found)", { flush: true, sep: "" }),
    );
  }
  rule(out);
}

export function renderEvent(event: AG2Event, out: OutputStream): void {
  switch (event.type) {
    case "received_message":
      printReceivedMessage(out, event);
      return;
    case "using_auto_reply":
      out.print(colored("\n>>>>>>>> USING AUTO REPLY...", "red"), { flush: true });
      return;
    case "no_human_input":
      out.print(colored("\n>>>>>>>> NO HUMAN INPUT RECEIVED.", "red"), { flush: true });
      return;
    case "human_input_requested":
    // Data-only events: the console layout of AG2 0.2 has no line for them.
    case "chat_start":
    case "chat_end":
    case "termination":
    case "error":
    case "sent_message":
    case "usage":
      return;
    case "execute_function":
      out.print(
        colored(`\n>>>>>>>> EXECUTING ${event.is_async ? "ASYNC " : ""}FUNCTION ${event.name}...`, "magenta"),
        { flush: true },
      );
      return;
    case "function_result":
      if (event.verbose) {
        out.print(
          colored(`\nInput arguments: ${JSON.stringify(event.arguments)}\nOutput:\n${event.content}`, "magenta"),
          { flush: true },
        );
      }
      return;
    case "chat_start_banner": {
      const stars = "*".repeat(80);
      out.print(colored(`\n${stars}`, "blue"), { flush: true });
      out.print(colored("Starting a new chat....", "blue"), { flush: true });
      if (event.message !== null) out.print(colored(`Message:\n${event.message}`, "blue"), { flush: true });
      if (event.carryover !== null) out.print(colored(`Carryover:\n${event.carryover}`, "blue"), { flush: true });
      out.print(colored(`\n${stars}`, "blue"), { flush: true });
      return;
    }
    case "stream_text":
      out.print(colored(event.text, "green"), { end: "", flush: true });
      return;
    case "stream_end":
      out.print("\n", { end: "", flush: true });
      return;
    case "execute_code_block":
      out.print(
        colored(`\n>>>>>>>> EXECUTING CODE BLOCK ${event.code_block_index} (inferred language is ${event.language})...`, "red"),
        { flush: true },
      );
      return;
    case "execute_code_blocks": {
      const n = event.languages.length;
      const text =
        n === 1
          ? `\n>>>>>>>> EXECUTING CODE BLOCK (inferred language is ${event.languages[0]})...`
          : `\n>>>>>>>> EXECUTING ${n} CODE BLOCKS (inferred languages are [${event.languages.join(", ")}])...`;
      out.print(colored(text, "red"), { flush: true });
      return;
    }
    case "note":
      out.print(event.color ? colored(event.text, event.color) : event.text, { flush: true });
      return;
    default:
      renderGroupChatEvent(event, out);
  }
}

function selectAttemptText(event: Extract<AG2Event, { type: "select_speaker_attempt" }>): string {
  const prefix = ">>>>>>>> Select speaker attempt";
  if (event.outcome === "selected") return colored(`${prefix} ${event.attempt} of ${event.attempts} successfully selected: ${event.agent}`, "green");
  if (event.outcome === "multiple") return colored(`${prefix} ${event.attempt} of ${event.attempts} failed as it included multiple agent names.`, "red");
  return colored(`${prefix} #${event.attempt} failed as it did not include any agent names.`, "red");
}

function clearHistoryText(event: Extract<AG2Event, { type: "clear_agents_history" }>): string {
  const who = event.agent ?? "all agents";
  const n = event.nr_messages_to_preserve;
  return n ? `Clearing history for ${who} except last ${n} messages.` : `Clearing history for ${who}.`;
}

/** Group chat events (spec 30). */
function renderGroupChatEvent(event: AG2Event, out: OutputStream): void {
  switch (event.type) {
    case "group_chat_next_speaker":
      out.print(colored(`\nNext speaker: ${event.agent}\n`, "green"), { flush: true });
      return;
    case "select_speaker_options":
      out.print("Please select the next speaker from the following list:");
      event.agents.forEach((name, i) => out.print(`${i + 1}: ${name}`));
      return;
    case "select_speaker_invalid_input":
      out.print(`Invalid input. Please enter a number between 1 and ${event.agents_count}.`);
      return;
    case "select_speaker_try_count_exceeded":
      out.print(`You have tried ${event.tries} times. The next speaker will be selected automatically.`);
      return;
    case "select_speaker_attempt":
      out.print(selectAttemptText(event), { flush: true });
      return;
    case "clear_agents_history":
      out.print(clearHistoryText(event));
      return;
    case "group_chat_resumed":
      out.print(`Prepared group chat with ${event.messages} messages, the last speaker is`, colored(event.last_speaker, "yellow"), { flush: true });
      return;
  }
}
