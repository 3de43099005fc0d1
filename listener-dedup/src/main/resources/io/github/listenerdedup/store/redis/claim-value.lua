-- Reads a claim value of format 1: 1|state|owner|attempts|completedAtMillis[|fingerprint]
local function read_claim(value)
  local state, owner, attempts, completed_at, tail =
    string.match(value, '^1|([ICR])|([^|]+)|(%d+)|(%d*)(.*)$')
  if not state or (tail ~= '' and string.sub(tail, 1, 1) ~= '|') then
    error('listener-dedup: the key holds a value that is not a claim of format 1')
  end
  return state, owner, attempts, completed_at, tail
end

