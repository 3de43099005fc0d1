-- KEYS[1] claim key; ARGV[1] token; ARGV[2] lease in ms.
-- An IN_PROGRESS claim of the token gets a new lease; answers {1 when renewed else 0, value or '', pttl}.
local value = redis.call('GET', KEYS[1])
if not value then
  return {0, '', -2}
end
local state, owner = read_claim(value)
if state == 'I' and owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, value, tonumber(ARGV[2])}
end
return {0, value, redis.call('PTTL', KEYS[1])}
