// The kit's worker pool with workers that never serve, and a start timeout of
// `argv[2]` ms: the pool must give up on them instead of waiting for ever.
import cluster from 'node:cluster';
import { runWorkerPool } from '../../dist/node/worker-pool.js';

if (cluster.isPrimary) {
  cluster.setupPrimary({ exec: new URL(import.meta.url).pathname, args: [] });
  runWorkerPool({ count: 1, say: (text) => process.stderr.write(`${text}\n`), onServing: () => process.stdout.write('served\n'), startTimeout: Number(process.argv[2]) });
} else {
  // A worker whose app never returns: it stays alive and never says it serves.
  setInterval(() => {}, 1000);
}
