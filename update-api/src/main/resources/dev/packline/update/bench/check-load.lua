-- wrk script of `bin/packline bench update` (run by WrkLoad): every request is a check of a simulated
-- client drawn at random from a file of check paths (one per line, written by the benchmark), and
-- the run ends with one JSON line of counts and latency percentiles on standard output.
-- Arguments after wrk's `--`: PATHS_FILE.

local requests = {}

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open the check paths file " .. tostring(args[1]))
  for path in file:lines() do
    -- formatted once: building the request per call would make the load generator the bottleneck
    requests[#requests + 1] = wrk.format("GET", path)
  end
  file:close()
  assert(#requests > 0, "the check paths file is empty")
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,' ..
    '"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
