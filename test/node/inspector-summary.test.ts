/** What the inspector keeps of a frame is bounded whatever the frame names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize } from '../../src/elements/juggler-inspector/frame-summary.js';

test("a call's action and a frame's type are cut: a peer cannot make the log hold megabytes per entry", () => {
  const huge = 'A'.repeat(1_000_000);
  const call = summarize('in', JSON.stringify({ type: 'MESSAGE', payload: { type: 'rpc', id: 1, direction: 'request', action: huge, args: [] } }));
  assert.ok(call.summary.call!.length < 80, `call text of ${call.summary.call!.length} characters`);
  assert.match(call.summary.call!, /^call A+… #1$/);
  const typed = summarize('in', JSON.stringify({ type: huge, payload: 1 }));
  assert.ok(typed.summary.type.length <= 60, `type of ${typed.summary.type.length} characters`);
});
