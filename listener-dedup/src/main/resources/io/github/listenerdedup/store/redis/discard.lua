-- KEYS[1] claim key; ARGV[1] token.
-- Deletes an IN_PROGRESS or RELEASED claim of the token; answers {1 when deleted or absent else 0, value or '', pttl}.
local value = redis.call('GET', KEYS[1])
if not value then
  return {1, '', -2}
end
local state, owner = read_claim(value)
if owner == ARGV[1] and state ~= 'C' then
  redis.call('DEL', KEYS[1])
  return {1, '', -2}
end
return {0, value, redis.call('PTTL', KEYS[1])}
