-- KEYS[1] claim key; ARGV[1] token; ARGV[2] retention in ms.
-- IN_PROGRESS of the token becomes RELEASED, keeping its attempt count; RELEASED of the token stays.
-- Answers {1 when released else 0, value or '', pttl}.
local value = redis.call('GET', KEYS[1])
if not value then
  return {0, '', -2}
end
local state, owner, attempts, _, tail = read_claim(value)
if owner ~= ARGV[1] or state == 'C' then
  return {0, value, redis.call('PTTL', KEYS[1])}
end
if state == 'R' then
  return {1, value, redis.call('PTTL', KEYS[1])}
end
local released = '1|R|' .. owner .. '|' .. attempts .. '|' .. tail
redis.call('SET', KEYS[1], released, 'PX', ARGV[2])
return {1, released, tonumber(ARGV[2])}
