-- KEYS[1] claim key. Answers {1, value, pttl}, or {0, '', -2} when there is no key.
local value = redis.call('GET', KEYS[1])
if not value then
  return {0, '', -2}
end
return {1, value, redis.call('PTTL', KEYS[1])}
