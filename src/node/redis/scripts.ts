/**
 * The Lua scripts that keep the stream and its snapshot consistent. Each runs
 * atomically in Redis, so no other process's command lands between its steps.
 */

/** `older(a, b)`: stream id `a` comes before `b` (ids are `<ms>-<seq>`). */
const older = `
local function older(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
`;

/**
 * Appends a batch of writes. `p` is the id of the entry before it, so a reader
 * can tell that it missed nothing: an entry whose `p` is not the reader's
 * position means entries were trimmed (or lost) in between.
 * KEYS: stream, last id. ARGV: writer, sequence number, writes (JSON array).
 */
export const appendScript = `
local prev = redis.call('GET', KEYS[2]) or '0-0'
local id = redis.call('XADD', KEYS[1], '*', 'p', prev, 'w', ARGV[1], 's', ARGV[2], 'd', ARGV[3])
redis.call('SET', KEYS[2], id)
return id
`;

/**
 * Stores a snapshot unless the one stored is as new or newer, and trims the
 * stream behind the snapshot it replaces: a process at least one snapshot
 * behind reloads the snapshot; one less far behind follows the entries.
 * KEYS: snapshot, stream. ARGV: id, data, writers. Returns 1 when stored.
 */
export const snapshotScript = `${older}
local current = redis.call('HGET', KEYS[1], 'id')
if current and not older(current, ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'data', ARGV[2], 'writers', ARGV[3])
if current then redis.call('XTRIM', KEYS[2], 'MINID', current) end
return 1
`;

/**
 * Stores the first snapshot when there is none: the initial data of a new
 * key, or a replica's data after Redis lost what it held. A snapshot at a
 * stream position also starts the stream there, so later ids come after it.
 * KEYS: snapshot, stream, last id. ARGV: id, data, writers. Returns 1 when stored.
 */
export const seedScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'data', ARGV[2], 'writers', ARGV[3])
if ARGV[1] ~= '0-0' and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('XADD', KEYS[2], ARGV[1], 'seed', '1')
  redis.call('SET', KEYS[3], ARGV[1])
end
return 1
`;

/** Extends a lease if this holder still has it. KEYS: lease. ARGV: holder, ttl ms. */
export const renewLeaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Gives a lease up if this holder still has it. KEYS: lease. ARGV: holder. */
export const releaseLeaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
