import { IOStream } from "./base";

export type Color = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan";

const CODES: Record<Color, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 };

/** Wraps `text` in ANSI colour codes when the current default stream wants colour. */
export function colored(text: string, color: Color): string {
  let stream;
  try {
    stream = IOStream.get_default();
  } catch {
    return text;
  }
  if (!stream.supports_color) return text;
  return `\x1b[${CODES[color]}m${text}\x1b[0m`;
}
