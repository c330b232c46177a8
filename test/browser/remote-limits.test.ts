import { expect } from 'chai';
import { JugglerClient } from '../../src/client/juggler-client.js';
import type { JugglerCloseEvent, JugglerErrorEvent } from '../../src/core/events.js';
import { TestPeer, until } from './peer-control.js';

/** Resolves with 'applied' after the client's next change, or with the code of its next error. */
function nextOutcome(client: JugglerClient): Promise<string> {
  return new Promise((resolve) => {
    const applied = () => done('applied');
    const failed = (event: JugglerErrorEvent) => done(event.code);
    const done = (outcome: string) => {
      client.removeEventListener('change', applied);
      client.removeEventListener('error', failed);
      resolve(outcome);
    };
    client.addEventListener('change', applied);
    client.addEventListener('error', failed);
  });
}

describe('remote data limits in Chromium', () => {
  it('small copy frames cannot grow remote data past the default limit', async function () {
    this.timeout(30_000);
    const peer = await TestPeer.start();
    await peer.set('', { a: new Array(200_000).fill(0) });
    const client = new JugglerClient({ url: peer.url, delay: 0, reconnect: false });
    try {
      const closed = new Promise<number>((resolve) => client.addEventListener('close', (e: JugglerCloseEvent) => resolve(e.code)));
      client.connect();
      await until(() => client.remoteData !== null, 'the first data');
      let copies = 0;
      let outcome = 'applied';
      while (outcome === 'applied' && copies < 100) {
        const next = nextOutcome(client);
        await peer.raw(`{"type":"DATA","payload":[{"op":"copy","from":"/a","path":"/c${copies}"},{"op":"copy","from":"/a","path":"/d${copies}"}]}`);
        outcome = await next;
        if (outcome === 'applied') copies++;
      }
      expect(outcome).to.equal('data-too-large');
      expect(await closed).to.equal(1009);
      expect(Object.keys(client.remoteData as object)).to.have.length(1 + 2 * copies);
    } finally {
      client.close();
    }
  });
});
