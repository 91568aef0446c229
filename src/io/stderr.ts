/**
 * Diagnostics (library warnings and log messages) go to stderr, never to the
 * IOStream that carries the conversation (spec 60 §4.1).
 */
export function writeDiagnostic(text: string): void {
  console.warn(text);
}
