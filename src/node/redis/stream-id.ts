/**
 * Orders two Redis stream ids (`<ms>-<seq>`): negative when `a` comes first.
 * Milliseconds stay exact as numbers for the next few hundred thousand years.
 */
export function compareIds(a: string, b: string): number {
  const [am, as] = split(a);
  const [bm, bs] = split(b);
  return am !== bm ? am - bm : as - bs;
}

function split(id: string): [number, number] {
  const dash = id.indexOf('-');
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}
