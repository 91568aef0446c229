/**
 * IOInputProvider: console output plus human input from a function, for
 * places without a usable stdin — Jupyter notebooks under tslab, servers,
 * scripted demos.
 *
 *   IOStream.set_global_default(new IOInputProvider((prompt) => answers.shift() ?? "exit"));
 */
import type { Awaitable } from "./base";
import { IOConsole } from "./console";

export type InputProvider = (prompt: string, options: { password?: boolean }) => Awaitable<string>;

export class IOInputProvider extends IOConsole {
  constructor(private readonly provider: InputProvider) {
    super();
  }

  override async input(prompt = "", options: { password?: boolean } = {}): Promise<string> {
    const answer = await this.provider(prompt, options);
    // Show the exchange as a terminal would: the prompt, then what was "typed".
    this.print(prompt + (options.password ? "" : answer));
    return answer;
  }
}
