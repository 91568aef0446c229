/** `api_rate_limit` (spec 40 §3): calls of one entry spaced by 1/rate seconds. */
import { ValueError } from "../errors";

export class RateLimiter {
  private next = 0;
  private readonly interval: number;

  constructor(rate: unknown) {
    if (typeof rate !== "number" || !(rate > 0)) {
      throw new ValueError(`api_rate_limit must be a positive number of requests per second, got ${JSON.stringify(rate)}.`);
    }
    this.interval = 1000 / rate;
  }

  async wait(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + this.interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
