import { expect } from 'chai';
import '../../src/elements/define.js';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import { cleanUp, connectedPage } from './fixture.js';
import { until } from './peer-control.js';

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
});
