/**
 * A Juggler server in its own process, for tests that kill it mid-call: its
 * `hang` action never answers. Prints its address, then runs until killed.
 */
import { listen } from '../../src/node/listen.js';

const server = await listen({ port: 0, actions: { hang: () => new Promise(() => {}) } });
console.log(server.url);
