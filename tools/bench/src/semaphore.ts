/** At most `permits` tasks at once; the others wait their turn in order. */
export class Semaphore {
  private readonly waiting: Array<() => void> = [];

  constructor(private permits: number) {
    if (!(permits >= 1)) throw new RangeError('a semaphore needs at least one permit');
  }

  async use<T>(task: () => Promise<T>): Promise<T> {
    if (this.permits > 0) this.permits--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.permits++;
    }
  }
}
