/**
 * Remote data held by many peers at once (the connections of one server),
 * bounded as a whole. Each peer's own `maxDataSize` bounds one connection; a
 * server with many connections also needs a bound on their sum, or enough
 * connections, each under its own limit, would still fill the process.
 */
export class DataBudget {
  /** The most all peers sharing the budget may hold together, estimated as `jsonSize` does. */
  readonly limit: number;
  #used = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** What the peers hold together now. */
  get used(): number {
    return this.#used;
  }

  /** The most a peer that holds `held` of the budget may hold after its next patch. */
  room(held: number): number {
    return this.limit - this.#used + held;
  }

  /** A peer's holding changed by `delta`. */
  change(delta: number): void {
    this.#used += delta;
  }
}
