-- KEYS[1] claim key; ARGV[1] token; ARGV[2] retention in ms.
-- IN_PROGRESS of the token becomes COMPLETED, stamped with the server's time; COMPLETED of the token stays.
-- Answers {1 when completed else 0, value or '', pttl}.
local value = redis.call('GET', KEYS[1])
if not value then
  return {0, '', -2}
end
local state, owner, attempts, _, tail = read_claim(value)
if owner ~= ARGV[1] or state == 'R' then
  return {0, value, redis.call('PTTL', KEYS[1])}
end
if state == 'C' then
  return {1, value, redis.call('PTTL', KEYS[1])}
end
local now = redis.call('TIME')
local millis = now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000))
local completed = '1|C|' .. owner .. '|' .. attempts .. '|' .. millis .. tail
redis.call('SET', KEYS[1], completed, 'PX', ARGV[2])
return {1, completed, tonumber(ARGV[2])}
