-- wrk script: every request asks for the count at a different as_of (one second apart), so no
-- request can be answered from the result cache.
local counter = 0
request = function()
  counter = counter + 1
  local t = os.time{year=2026, month=11, day=1, hour=0} - counter * 7 - math.random(0, 6)
  local path = "/v1/tenants/bench/segments/lapsed-vip/count?as_of=" ..
               os.date("!%Y-%m-%dT%H:%M:%SZ", t)
  return wrk.format("GET", path)
end
