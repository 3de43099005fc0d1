-- KEYS[1] claim key; ARGV[1] token; ARGV[2] lease in ms; ARGV[3] fingerprint field ('' or '|' .. fingerprint).
-- Absent or RELEASED becomes IN_PROGRESS for the token; answers {1, value, pttl} when the token holds the
-- claim, else {0, value, pttl} with the claim that holds the key.
local value = redis.call('GET', KEYS[1])
local attempts = 0
if value then
  local state, owner, found = read_claim(value)
  if state ~= 'R' then
    local mine = (state == 'I' and owner == ARGV[1]) and 1 or 0
    return {mine, value, redis.call('PTTL', KEYS[1])}
  end
  attempts = tonumber(found)
end
local claimed = '1|I|' .. ARGV[1] .. '|' .. string.format('%d', attempts + 1) .. '|' .. ARGV[3]
redis.call('SET', KEYS[1], claimed, 'PX', ARGV[2])
return {1, claimed, tonumber(ARGV[2])}
