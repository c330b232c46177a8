import { expect } from 'chai';
import fc from 'fast-check';
import { JugglerClient } from '../../src/client/juggler-client.js';
import type { JugglerCloseEvent } from '../../src/core/events.js';
import { hostileExamples, hostileFrames, initialData, type HostileFrame } from '../support/hostile-frames.js';
import { TestPeer, until } from './peer-control.js';

/** Opens a client on `peer`, has the peer send `frame` once the client holds the initial data, and checks the outcome. */
async function receiveOnNewConnection(peer: TestPeer, { position, frame, expected }: HostileFrame): Promise<void> {
  // A generous configured depth limit must not let deep values reach a recursive walk either.
  const client = new JugglerClient({ url: peer.url, delay: 0, reconnect: false, maxDepth: 20_000 });
  try {
    client.connect();
    await until(() => client.remoteData !== null, 'the initial data');
    const outcome = new Promise<number | 'open'>((resolve) => {
      client.addEventListener('close', (e: JugglerCloseEvent) => resolve(e.code));
      client.addEventListener('message', () => resolve('open'));
    });
    await peer.raw(frame);
    const code = await outcome;
    expect(expected, `${position}: ended with ${code}`).to.include(code);
    expect(client.remoteData, `${position}: the data changed`).to.deep.equal(initialData);
  } finally {
    client.close();
  }
}

describe('hostile values anywhere in a frame, in Chromium', () => {
  it('the page survives each, the client closes with a fitting code, and its data is unchanged', async function () {
    this.timeout(30_000);
    const peer = await TestPeer.start();
    await peer.set('', initialData);
    await fc.assert(
      fc.asyncProperty(hostileFrames, async (frames) => {
        for (const frame of frames) {
          await receiveOnNewConnection(peer, frame);
          await until(async () => (await peer.connections()) === 0, 'the connection to close');
        }
      }),
      { numRuns: 8, examples: hostileExamples },
    );
  });
});
