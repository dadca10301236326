/** A fixed set of lanes (browsers, pages) taken one render at a time; callers beyond them wait in order. */
export class Lanes<T> {
  private readonly idle: T[];
  private readonly waiting: ((lane: T) => void)[] = [];

  constructor(lanes: readonly T[]) {
    this.idle = [...lanes];
  }

  /** Runs `work` on a free lane, and frees it after, whatever happened. */
  async use<R>(work: (lane: T) => Promise<R>): Promise<R> {
    const lane = this.idle.pop() ?? (await new Promise<T>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(lane);
    } finally {
      const next = this.waiting.shift();
      if (next) next(lane);
      else this.idle.push(lane);
    }
  }
}
