-- Counts responses by status class in every wrk thread and prints the totals when the run
-- ends, so tests/test_load.py can assert zero 5xx (wrk itself only reports "Non-2xx or 3xx").
-- Loaded first by the scenario scripts (dofile); they may define request() themselves.
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  status_2xx, status_4xx, status_5xx, status_other = 0, 0, 0, 0
end

function response(status, headers, body)
  if status >= 500 then
    status_5xx = status_5xx + 1
  elseif status >= 400 then
    status_4xx = status_4xx + 1
  elseif status >= 200 and status < 300 then
    status_2xx = status_2xx + 1
  else
    status_other = status_other + 1
  end
end

function done(summary, latency, requests)
  local totals = { 0, 0, 0, 0 }
  for _, thread in ipairs(threads) do
    totals[1] = totals[1] + thread:get("status_2xx")
    totals[2] = totals[2] + thread:get("status_4xx")
    totals[3] = totals[3] + thread:get("status_5xx")
    totals[4] = totals[4] + thread:get("status_other")
  end
  io.write(string.format("STATUS 2xx=%d 4xx=%d 5xx=%d other=%d\n", totals[1], totals[2], totals[3], totals[4]))
  io.write(string.format("LATENCY p50=%.2fms p99=%.2fms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
