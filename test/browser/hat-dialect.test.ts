import { expect } from 'chai';
import '../../src/elements/define.js';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { cleanUp, connectedPage, fixture } from './fixture.js';
import { TestPeer, until } from './peer-control.js';

afterEach(cleanUp);

describe('a server that speaks the hat-juggler 0.7 dialect', () => {
  it('closes <juggler-connection> for good, with an unsupported-dialect error instead of a reconnect loop', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" reconnect-delay="20" reconnect-max-delay="50"></juggler-connection>`,
    );
    const errors: JugglerErrorEvent[] = [];
    connection.addEventListener('juggler-error', (e) => errors.push(e as JugglerErrorEvent));
    await peer.raw('0{"type":"state","diff":[{"op":"replace","path":"","value":{"count":1}}]}');
    await until(() => connection.status === 'closed', 'the connection to close');
    expect(errors.map((e) => e.code)).to.deep.equal(['unsupported-dialect']);
    expect(errors[0].message).to.match(/hat-juggler 0\.7 dialect.*hat-juggler up to 0\.5/);
    expect(connection.getAttribute('status')).to.equal('closed');
    expect(connection.remoteData).to.equal(null, 'nothing of the frame was applied');
    // No event marks a retry that must not come: wait four times the longest backoff.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await peer.connections()).to.equal(0);
    expect(connection.status).to.equal('closed');
  });

  it('dialect="hat-0.7" without juggler-elements/hat-0.7 imported: juggler-error saying it is not loaded, and no socket', async () => {
    const peer = await TestPeer.start({ dialect: 'hat-0.7' });
    const heard = new Promise<JugglerErrorEvent>((resolve) => document.addEventListener('juggler-error', (e) => { e.preventDefault(); resolve(e as JugglerErrorEvent); }, { once: true }));
    const connection = fixture<JugglerConnection>(`<juggler-connection url="${peer.url}" dialect="hat-0.7"></juggler-connection>`);
    const error = await heard;
    expect([error.code, error.message, error.target]).to.deep.equal(['connect-failed', 'cannot connect: dialect="hat-0.7" is not loaded', connection]);
    await until(() => connection.status === 'closed', 'the element to give up');
    expect(connection.lastError?.message).to.equal('cannot connect: dialect="hat-0.7" is not loaded');
    // Nor on reconnect(): no socket in the wrong protocol.
    connection.reconnect();
    await until(() => connection.status === 'closed', 'the reconnect to give up');
    expect(await peer.handshakes()).to.deep.equal([]);
  });
});
