// What `juggler-elements/node` resolves to under the "browser" condition: the Node
// peer needs `ws`, `node:http` and `node:fs`, so a browser build must not take it.
// The import below cannot resolve, so bundlers stop with this sentence in their
// error; the throw says the same where a bundler was told to leave it external.
import 'juggler-elements/node is for Node.js only: in a browser, import juggler-elements or juggler-elements/client';

throw new Error('juggler-elements/node is for Node.js only: in a browser, import juggler-elements or juggler-elements/client');
