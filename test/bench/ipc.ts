/**
 * The benchmarks that run their load in child processes talk to them over
 * IPC; every wait on a child is bounded, so a child that hangs or dies ends
 * the run with an error instead of holding it.
 */
import type { ChildProcess } from 'node:child_process';

/** Resolves with the next IPC message of `type` from `child`; rejects if it exits first or after `timeout` ms. */
export function expect<T>(child: ChildProcess, type: string, timeout: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${type}" from the child within ${timeout} ms`)), timeout);
    const onMessage = (message: { type: string }) => {
      if (message.type === type) done(undefined, message as T);
    };
    const onExit = (code: number | null) => done(new Error(`the child exited (${code}) before "${type}"`));
    const done = (error?: Error, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
