import { createHash, randomBytes } from 'node:crypto';
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * WebSocket by hand over `node:net`, to play peers that break the rules
 * (frames no WebSocket library would send), and servers that accept TCP and
 * then misbehave or say nothing.
 */

const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const acceptKey = (key: string) => createHash('sha1').update(key + guid).digest('base64');

/** One WebSocket frame: FIN set, the given opcode (1 text, 2 binary, 3 reserved, …), masked or not. */
export function frame(payload: Buffer | string, { opcode = 1, mask = false } = {}): Buffer {
  const data = Buffer.from(payload);
  const length = data.length < 126 ? [data.length] : data.length < 65536 ? [126, data.length >> 8, data.length & 255] : undefined;
  if (!length) throw new Error('frames of 64 KiB and more are not needed here');
  const header = Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | length[0], ...length.slice(1)]);
  if (!mask) return Buffer.concat([header, data]);
  const key = randomBytes(4);
  return Buffer.concat([header, key, data.map((byte, i) => byte ^ key[i % 4])]);
}

/** The status code of the first close frame in `bytes` (sent unmasked by a server), if one is complete. */
function closeCodeIn(bytes: Buffer): number | undefined {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at] & 0x0f;
    let length = bytes[at + 1] & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      start += 2;
    }
    if (start + length > bytes.length) return undefined;
    if (opcode === 8) return length >= 2 ? bytes.readUInt16BE(start) : 1005;
    at = start + length;
  }
  return undefined;
}

export interface RawServer {
  port: number;
  /** TCP connections accepted so far. */
  readonly accepted: number;
  /** Stops listening and cuts every connection. */
  close(): Promise<void>;
}

/**
 * A TCP server on 127.0.0.1. With `afterUpgrade`, it answers every WebSocket
 * upgrade with 101 and hands the socket over (to write frames by hand);
 * without it, it accepts connections and never says a word.
 */
export async function rawServer(afterUpgrade?: (socket: Socket) => void, port = 0): Promise<RawServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (!afterUpgrade) return;
    let request = '';
    const onData = (chunk: Buffer) => {
      request += chunk.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const key = /^sec-websocket-key:\s*(\S+)/im.exec(request)?.[1] ?? '';
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`);
      afterUpgrade(socket);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A client socket that did the WebSocket handshake by hand: write any bytes, learn the server's close code. */
export interface RawClient {
  socket: Socket;
  /** The status code of the server's close frame (1006 if the connection ended without one). */
  closeCode: Promise<number>;
}

export function rawClient(url: string): Promise<RawClient> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname, () => {
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    let received = Buffer.alloc(0);
    let upgraded = false;
    let reportClose: (code: number) => void = () => {};
    const closeCode = new Promise<number>((done) => (reportClose = done));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = received.subarray(0, received.indexOf('\r\n')).toString();
        if (!status.includes(' 101 ')) return reject(new Error(status));
        upgraded = true;
        received = received.subarray(end + 4);
        resolve({ socket, closeCode });
      }
      const code = closeCodeIn(received);
      if (code !== undefined) reportClose(code);
    });
    socket.on('close', () => reportClose(1006));
    socket.on('error', reject);
  });
}
