// Loaded with `node --import`: makes any import of ioredis fail, to show what runs without it.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      if (specifier === 'ioredis' || specifier.startsWith('ioredis/')) throw new Error('ioredis was imported');
      return next(specifier, context);
    }`),
  import.meta.url,
);
