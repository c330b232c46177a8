import { executeServerCommand } from '@web/test-runner-commands';

/** A real Node peer started for one test (see test/support/peer-commands.ts). */
export class TestPeer {
  private constructor(
    readonly id: number,
    readonly url: string,
  ) {}

  /** Starts a peer; with `dialect: 'hat-0.7'`, a server of that dialect. */
  static async start(options: { dialect?: 'hat-0.7' } = {}): Promise<TestPeer> {
    const { id, url } = await command<{ id: number; url: string }>({ action: 'start', ...options });
    return new TestPeer(id, url);
  }

  private run<T>(action: string, extra: object = {}): Promise<T> {
    return command<T>({ action, id: this.id, ...extra });
  }

  /** The remote data of the peer's newest open connection: what the page sent. */
  remote(): Promise<unknown> {
    return this.run('remote');
  }
  connections(): Promise<number> {
    return this.run('connections');
  }
  /** Sets the peer's local data at a path; it goes to every page at once (delay 0). */
  set(path: string, value: unknown): Promise<void> {
    return this.run('set', { path, value });
  }
  /** Like `set`, with the value as JSON text: the only way a `__proto__` key reaches the peer as a member. */
  setJson(path: string, json: string): Promise<void> {
    return this.run('set', { path, json });
  }
  /** Sends `count` DATA frames, each setting `path` to the next number from 0: at once, or one every `interval` ms. */
  burst(path: string, count: number, interval = 0): Promise<void> {
    return this.run('burst', { path, count, interval });
  }
  send(payload: unknown): Promise<void> {
    return this.run('send', { payload });
  }
  /** A server of the hat-0.7 dialect sends every page a notify. */
  notify(name: string, value: unknown): Promise<void> {
    return this.run('notify', { name, value });
  }
  raw(frame: string): Promise<void> {
    return this.run('raw', { frame });
  }
  messages(): Promise<unknown[]> {
    return this.run('messages');
  }
  /** The address (path and query) and `Sec-WebSocket-Protocol` of each connection made to the peer. */
  handshakes(): Promise<{ url: string; protocols: string }[]> {
    return this.run('handshakes');
  }
  errors(): Promise<string[]> {
    return this.run('errors');
  }
  /**
   * Plays an application back-end: a page's `/<requests>/<name>` is applied to
   * the shared `/<name>`, unless it is a string longer than `maxLength`.
   */
  playBackEnd(options: { requests?: string; maxLength?: number } = {}): Promise<void> {
    return this.run('back-end', options);
  }
  /** Every request the back-end saw, applied or refused, in order. */
  requests(): Promise<unknown[]> {
    return this.run('requests');
  }
  /** Answers the page's calls of `name` on every connection, with a behaviour of the test peer (`sum`, `echo`, `fail`, `later`, `held`). */
  handle(name: string, behaviour: string): Promise<void> {
    return this.run('handle', { name, behaviour });
  }
  /** How many calls the `held` behaviour holds. */
  held(): Promise<number> {
    return this.run('held');
  }
  /** Answers the calls the `held` behaviour holds (with their first argument); resolves with how many there were. */
  release(): Promise<number> {
    return this.run('release');
  }
  /** Calls the page on the newest connection: its result, or the error's code and message. */
  call(name: string, args: unknown[] = []): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
    return this.run('call', { name, args });
  }
  /** Stops reading what the pages send, then calls `echo` `count` times on each, with a 64 KiB argument. */
  stall(count: number): Promise<void> {
    return this.run('stall', { count });
  }
  drop(): Promise<void> {
    return this.run('drop');
  }
  stop(): Promise<void> {
    return this.run('stop');
  }
  restart(): Promise<void> {
    return this.run('restart');
  }
}

/** Emulates `forced-colors: active` (Windows high contrast) in the test page, or turns it off with `none`. */
export async function forcedColors(value: 'active' | 'none'): Promise<void> {
  await executeServerCommand('forced-colors', value);
}

async function command<T>(payload: object): Promise<T> {
  const { value } = await executeServerCommand<{ value: T }, object>('peer', payload);
  return value;
}

/** Resolves once `check` (sync or async) is true, polling; rejects after `timeout` ms. */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition', timeout = 5000): Promise<void> {
  const deadline = performance.now() + timeout;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
