/**
 * Group-chat errors with AG2's names (spec 30 §3).
 */
import { ValueError, type ErrorContext } from "../../errors";
import { AG2Error } from "../../errors";

/** No agent may speak next; `run_chat` catches it and ends the chat quietly. */
export class NoEligibleSpeakerError extends AG2Error {
  constructor(message = "No eligible speakers.", context: ErrorContext = {}) {
    super(message, context);
  }
}

/** `next_agent` was given agents outside the group, or none of them can follow. */
export class UndefinedNextAgentError extends AG2Error {
  constructor(message = "The provided agents list does not overlap with agents in the group.", context: ErrorContext = {}) {
    super(message, context);
  }
}

/** `agent_by_name(..., {raise_on_name_conflict: true})` found two agents with that name. */
export class AgentNameConflictError extends ValueError {
  constructor(message = "Found multiple agents with the same name.", context: ErrorContext = {}) {
    super(message, context);
  }
}
