/** The speaker selection methods named by a string (spec 30 §5). */
import { ValueError } from "../../errors";

export type SpeakerSelectionMethodName = "auto" | "manual" | "random" | "round_robin";

export const VALID_METHODS: SpeakerSelectionMethodName[] = ["auto", "manual", "random", "round_robin"];

/** Checks a method name case-insensitively and returns it lower-cased. */
export function validateMethodName(method: string): SpeakerSelectionMethodName {
  const lowered = method.toLowerCase() as SpeakerSelectionMethodName;
  if (!VALID_METHODS.includes(lowered)) {
    const names = `[${VALID_METHODS.map((v) => `'${v}'`).join(", ")}]`;
    throw new ValueError(`GroupChat speaker_selection_method is set to '${method}'. It should be one of ${names} (case insensitive).`);
  }
  return lowered;
}
