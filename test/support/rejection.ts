import assert from 'node:assert/strict';
import { JugglerError } from '../../src/core/errors.js';

/** The JugglerError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<JugglerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JugglerError, `a JugglerError, not ${String(error)}`);
    return error;
  }
  assert.fail('it succeeded');
}
