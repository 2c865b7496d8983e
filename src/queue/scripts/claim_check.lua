-- claim_check: KEYS = main, processing, retry, leases, batch_leases, batches. Writes nothing.
-- Run once before a drain's first batched claim (claim_begin.lua and plain commands in a
-- MULTI, which Redis does not roll back when a command in it fails): refuses, as every script
-- does before its first write, a key of the wrong type, and a user the ACL does not let run
-- what the batched claim and its acknowledgement will run, so that a refusal moves nothing.
-- Returns 1, or 0 when the user may not run MULTI or EXEC (the drain then claims with the
-- scripts, as it does on a cluster).
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'list')
check_type(KEYS[3], 'zset')
check_type(KEYS[4], 'zset')
check_type(KEYS[5], 'zset')
check_type(KEYS[6], 'hash')
if redis.acl_check_cmd then
  if not redis.acl_check_cmd('MULTI') or not redis.acl_check_cmd('EXEC') then return 0 end
  local needs = {
    {'RPOPLPUSH', KEYS[1], KEYS[2]}, {'LREM', KEYS[2], '1', 'x'}, {'LPUSH', KEYS[1], 'x'},
    {'ZRANGEBYSCORE', KEYS[3], '0', '1'}, {'ZREM', KEYS[3], 'x'},
    {'ZADD', KEYS[5], '1', 'x'}, {'ZREM', KEYS[5], 'x'}, {'HSET', KEYS[6], 'f', 'x'}, {'HDEL', KEYS[6], 'f'},
  }
  for _, c in ipairs(needs) do
    if not redis.acl_check_cmd(unpack(c)) then
      return redis.error_reply('NOPERM this user has no permissions to run the \'' .. string.lower(c[1]) .. '\' command')
    end
  end
end
return 1
