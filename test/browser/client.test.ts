import { expect } from 'chai';
import { JugglerClient } from '../../src/client/juggler-client.js';
import { defaultUrl } from '../../src/client/default-url.js';
import type { JugglerCloseEvent, JugglerErrorEvent, JugglerMessageEvent, JugglerStatusEvent } from '../../src/core/events.js';
import { TestPeer, until } from './peer-control.js';

const clients: JugglerClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function open(url: string, options: ConstructorParameters<typeof JugglerClient>[0] = {}): JugglerClient {
  const client = new JugglerClient({ url, delay: 0, reconnect: { initialDelay: 50, maxDelay: 200 }, ...options });
  clients.push(client);
  client.connect();
  return client;
}

/** A client whose server went away and came back while the client waits out a minute-long backoff. */
async function waitingOutALongBackoff(peer: TestPeer): Promise<JugglerClient> {
  const client = open(peer.url, { reconnect: { initialDelay: 60_000 } });
  await until(() => client.status === 'open', 'open');
  await peer.stop();
  await until(() => client.status === 'reconnecting', 'reconnecting');
  await peer.restart();
  return client;
}

describe('JugglerClient in Chromium against the Node peer', () => {
  it('sends local data and receives remote data', async () => {
    const peer = await TestPeer.start();
    const client = open(peer.url);
    await until(() => client.status === 'open', 'open');
    client.setAt('/greeting', 'hello from the page');
    client.setAt('/list', [1, 2]);
    client.insertAt('/list/0', 0);
    await until(async () => JSON.stringify(await peer.remote()) === '{"greeting":"hello from the page","list":[0,1,2]}', 'the peer to get the data');
    await peer.set('/answer', { n: 42, text: '<b>not html</b>' });
    await until(() => client.remoteData !== null, 'remote data');
    expect(client.remoteData).to.deep.equal({ answer: { n: 42, text: '<b>not html</b>' } });
  });

  it('exchanges MESSAGEs both ways', async () => {
    const peer = await TestPeer.start();
    const client = open(peer.url);
    await until(() => client.status === 'open', 'open');
    client.send({ action: 'reset', args: [1] });
    await until(async () => (await peer.messages()).length === 1, 'the message to arrive');
    expect(await peer.messages()).to.deep.equal([{ action: 'reset', args: [1] }]);
    const received = new Promise<JugglerMessageEvent>((resolve) => client.addEventListener('message', resolve, { once: true }));
    await peer.send({ answer: 'done' });
    expect((await received).payload).to.deep.equal({ answer: 'done' });
  });

  it('reconnects after the server drops the connection, keeping remote data until new data arrives', async () => {
    const peer = await TestPeer.start();
    await peer.set('/value', 1);
    const client = open(peer.url);
    const statuses: string[] = [];
    client.addEventListener('status', (e: JugglerStatusEvent) => statuses.push(e.status));
    await until(() => client.remoteData !== null, 'first data');
    await peer.drop();
    await until(() => client.status === 'reconnecting', 'reconnecting');
    expect(client.remoteData).to.deep.equal({ value: 1 });
    expect(client.remoteStale).to.equal(true);
    await until(() => client.status === 'open' && !client.remoteStale, 'reopened with fresh data');
    expect(client.remoteData).to.deep.equal({ value: 1 });
    expect(statuses).to.deep.equal(['open', 'reconnecting', 'open']);
  });

  it('delivers local writes and messages made while offline once the server is back', async () => {
    const peer = await TestPeer.start();
    const client = open(peer.url);
    await until(() => client.status === 'open', 'open');
    client.setAt('/online', true);
    await until(async () => (await peer.remote()) !== null, 'first data');
    await peer.stop();
    await until(() => client.status === 'reconnecting', 'reconnecting');
    client.setAt('/offline', 'written while away');
    client.send('queued 1');
    client.send('queued 2');
    await peer.restart();
    await until(() => client.status === 'open', 'reopened');
    await until(async () => (await peer.messages()).length === 2, 'the queued messages');
    expect(await peer.remote()).to.deep.equal({ online: true, offline: 'written while away' });
    expect(await peer.messages()).to.deep.equal(['queued 1', 'queued 2']);
  });

  it('retries at once when the browser says the network is back', async () => {
    const peer = await TestPeer.start();
    const client = await waitingOutALongBackoff(peer);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.status).to.equal('reconnecting', 'still waiting out its minute-long backoff');
    window.dispatchEvent(new Event('online'));
    await until(() => client.status === 'open', 'reopened right after "online"', 2000);
  });

  it('retries at once when the page becomes visible again', async () => {
    const peer = await TestPeer.start();
    const client = await waitingOutALongBackoff(peer);
    const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')!;
    try {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(client.status).to.equal('reconnecting', 'a hidden page waits');
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => client.status === 'open', 'reopened right after becoming visible', 2000);
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
      expect(Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')).to.deep.equal(visibility);
    }
  });

  it('closes on a hostile frame with a typed error, and reconnects', async () => {
    const peer = await TestPeer.start();
    const client = open(peer.url);
    await until(() => client.status === 'open', 'open');
    const error = new Promise<JugglerErrorEvent>((resolve) => client.addEventListener('error', resolve, { once: true }));
    await peer.raw('{"type": "DATA", "payload": [{"op": "add", "path": "/__proto__/polluted", "value": true}]}');
    expect((await error).code).to.equal('patch-failed');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    await until(() => client.status === 'open', 'reconnected');
  });

  it('past maxSendBuffer, answers to a server that stopped reading close the connection (slow-consumer), and it reconnects', async () => {
    const peer = await TestPeer.start();
    const client = open(peer.url, { maxSendBuffer: 64 * 1024, actions: { echo: (text) => text } });
    await until(() => client.status === 'open', 'open');
    const error = new Promise<JugglerErrorEvent>((resolve) => client.addEventListener('error', resolve, { once: true }));
    const closed = new Promise<JugglerCloseEvent>((resolve) => client.addEventListener('close', resolve, { once: true }));
    // 25 MiB of answers: more than the sockets' kernel buffers take, so the page's own buffer grows.
    await peer.stall(400);
    expect((await error).code).to.equal('slow-consumer');
    expect((await closed).code).to.equal(1013);
    await until(() => client.status === 'open', 'reconnected');
  });

  it('close() stops for good and the server sees the connection go', async () => {
    const peer = await TestPeer.start();
    const client = open(peer.url);
    await until(async () => (await peer.connections()) === 1, 'connected');
    client.close();
    expect(client.status).to.equal('closed');
    await until(async () => (await peer.connections()) === 0, 'the server to see the close');
  });

  it('defaults to ws://<page host>/ws, and resolves relative addresses against the page', async () => {
    expect(defaultUrl()).to.equal(`ws://${location.host}/ws`);
    const made: string[] = [];
    const client = new JugglerClient({ url: '/live?x=1', params: { token: 't' }, createSocket: (url) => (made.push(url), new WebSocket(url)) });
    clients.push(client);
    client.connect();
    await until(() => made.length === 1, 'the socket');
    expect(made[0]).to.equal(`ws://${location.host}/live?x=1&token=t`);
  });
});
