-- KEYS[1] claim key. Deletes it whoever owns it; answers {1 when a key was deleted else 0, '', -2}.
return {redis.call('DEL', KEYS[1]), '', -2}
