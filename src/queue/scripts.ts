/**
 * The Lua scripts that change a run's record (hash `<base>:run:<id>`) and
 * its event stream (`<base>:events:<id>`) together, atomically. Every write
 * of a running job names the job's owner token: a worker that lost its job
 * to another (its lock expired) can no longer write.
 */

/** KEYS run, events; ARGV conversation, input, now, queued event. */
export const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[4])
redis.call('HSET', KEYS[1], 'conversation', ARGV[1], 'input', ARGV[2], 'status', 'queued', 'segment', '0',
  'messages', '0', 'created_at', ARGV[3], 'updated_at', ARGV[3], 'event_id', id)
return 1`;

/**
 * KEYS run, events; ARGV owner, worker, now, segment, cancelled event.
 * Takes the run for a job; drops the events published after the saved state
 * (a dead worker's turn in progress). Returns {outcome, previous status, dropped events}.
 */
export const CLAIM = `
local s = redis.call('HMGET', KEYS[1], 'status', 'cancel_requested', 'event_id', 'messages', 'segment')
local status = s[1]
if not status then return {'missing'} end
if status ~= 'queued' and status ~= 'running' then return {status} end
if tonumber(ARGV[4]) ~= tonumber(s[5]) then return {'stale'} end
if s[2] == '1' then
  local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[5])
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'updated_at', ARGV[3], 'event_id', id)
  redis.call('HDEL', KEYS[1], 'owner', 'cancel_requested', 'answer', 'answer_for')
  return {'cancelled'}
end
local dropped = 0
if s[3] then
  for _, entry in ipairs(redis.call('XRANGE', KEYS[2], '(' .. s[3], '+')) do
    redis.call('XDEL', KEYS[2], entry[1])
    dropped = dropped + 1
  end
end
local event = cjson.encode({type = 'run_status', status = 'running', worker = ARGV[2], resumed = (status == 'running'),
  messages = tonumber(s[4]), dropped_events = dropped})
local id = redis.call('XADD', KEYS[2], '*', 'e', event)
redis.call('HSET', KEYS[1], 'status', 'running', 'owner', ARGV[1], 'worker', ARGV[2], 'updated_at', ARGV[3], 'event_id', id)
return {'ok', status, tostring(dropped)}`;

/**
 * KEYS run, events; ARGV owner, now, then per event: event, state ('' for
 * none), messages, position. A state saved with an event marks the stream
 * position it agrees with. Returns 0 when the job is no longer the owner.
 */
export const RECORD = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
for i = 3, #ARGV, 4 do
  local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[i])
  if ARGV[i + 1] ~= '' then
    redis.call('HSET', KEYS[1], 'state', ARGV[i + 1], 'messages', ARGV[i + 2], 'position', ARGV[i + 3], 'event_id', id, 'updated_at', ARGV[2])
  end
end
return 1`;

/** KEYS run, events; ARGV owner, status, now, status event, then field/value pairs. */
export const FINISH = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[4])
redis.call('HDEL', KEYS[1], 'owner', 'cancel_requested', 'answer', 'answer_for', 'prompt')
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updated_at', ARGV[3], 'event_id', id)
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`;

/** KEYS run, events; ARGV answer, now. Returns {'ok', next segment} or {status}. */
export const SUBMIT = `
local s = redis.call('HMGET', KEYS[1], 'status', 'messages', 'segment')
if not s[1] then return {'missing'} end
if s[1] ~= 'waiting_for_input' then return {s[1]} end
local segment = tonumber(s[3]) + 1
local id = redis.call('XADD', KEYS[2], '*', 'e', cjson.encode({type = 'run_status', status = 'queued', segment = segment}))
redis.call('HSET', KEYS[1], 'status', 'queued', 'answer', ARGV[1], 'answer_for', s[2], 'segment', segment, 'updated_at', ARGV[2], 'event_id', id)
redis.call('HDEL', KEYS[1], 'prompt')
return {'ok', tostring(segment)}`;

/** KEYS run, events; ARGV now, cancel channel, run id. Returns 'cancelled', 'requested' or the status it leaves alone. */
export const CANCEL = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'queued' or status == 'waiting_for_input' then
  local id = redis.call('XADD', KEYS[2], '*', 'e', cjson.encode({type = 'run_status', status = 'cancelled'}))
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'updated_at', ARGV[1], 'event_id', id)
  redis.call('HDEL', KEYS[1], 'prompt', 'answer', 'answer_for')
  return 'cancelled'
end
if status == 'running' then
  redis.call('HSET', KEYS[1], 'cancel_requested', '1')
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 'requested'
end
return status`;
