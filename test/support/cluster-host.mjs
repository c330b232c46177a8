// A cluster primary other than the kit's, as pm2's cluster mode is: it runs the
// command given as its one worker, with the same stdio, and exits with its code.
import cluster from 'node:cluster';

const [exec, ...args] = process.argv.slice(2);
cluster.setupPrimary({ exec, args });
cluster.fork().once('exit', (code) => process.exit(code ?? 1));
process.once('SIGTERM', () => {
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
});
