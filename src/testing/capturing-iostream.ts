/**
 * CapturingIOStream: an IOStream that records printed text and answers
 * input from a list, for tests and notebooks (tslab has no stdin).
 */
import { formatPrint, type IOStream } from "../io/base";
import { AG2Error } from "../errors";

export class CapturingIOStream implements IOStream {
  /** Everything printed, as one string. */
  output = "";
  /** Prompts passed to `input`, in order. */
  readonly prompts: string[] = [];
  readonly supports_color: boolean;
  private readonly answers: Array<string | ((prompt: string) => string)>;

  constructor(options: { inputs?: Array<string | ((prompt: string) => string)>; supports_color?: boolean } = {}) {
    this.answers = [...(options.inputs ?? [])];
    this.supports_color = options.supports_color ?? false;
  }

  print(...objects: unknown[]): void {
    this.output += formatPrint(objects).text;
  }

  input(prompt = ""): string {
    this.prompts.push(prompt);
    const answer = this.answers.shift();
    if (answer === undefined) {
      throw new AG2Error(`No scripted human input left for prompt ${JSON.stringify(prompt)}.`);
    }
    return typeof answer === "function" ? answer(prompt) : answer;
  }

  /** Printed lines (the text split on newlines). */
  get lines(): string[] {
    return this.output.split("\n");
  }
}
