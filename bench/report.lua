-- wrk script: optional method/body/headers from the environment, an optional file of paths
-- to rotate through (BENCH_URLS, one path per line: every request asks for another one, as
-- schools each search for something else), the page cache's hit rate (X-Page-Cache
-- header), and a JSON summary line.
local method = os.getenv("BENCH_METHOD")
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local ctype = os.getenv("BENCH_CONTENT_TYPE")
local urls_file = os.getenv("BENCH_URLS")

local threads = {}
local counter = 1

setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths = {}
local position = 0
hits, responses = 0, 0

init = function(args)
  if urls_file and urls_file ~= "" then
    for line in io.lines(urls_file) do
      if line ~= "" then table.insert(paths, line) end
    end
    -- Each run starts at a random place in the list (BENCH_START, drawn by bench/run.py)
    -- and its threads (BENCH_THREADS, wrk's -t) at equal distances after it, so that no two
    -- threads ask for the same paths within a run (while each asks for fewer than its share
    -- of the list: at most ~2,300 requests a thread in 10 s, shares of 2,500-10,000 paths).
    local start = tonumber(os.getenv("BENCH_START") or "0")
    local count = tonumber(os.getenv("BENCH_THREADS") or "1")
    position = (start + (id - 1) * math.floor(#paths / count)) % #paths
  end
end

request = function()
  local headers = {}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if ctype and ctype ~= "" then headers["Content-Type"] = ctype end
  headers["Referer"] = os.getenv("BENCH_REFERER") or "http://127.0.0.1/"
  local path = nil
  if #paths > 0 then
    position = position % #paths + 1
    path = paths[position]
  end
  return wrk.format(method or "GET", path, headers, body)
end

response = function(status, headers, body)
  responses = responses + 1
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  local total_hits, total_responses = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total_responses = total_responses + thread:get("responses")
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "non_2xx_3xx": %d, "socket_errors": %d, "cache_hits": %d, "responses": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors, total_hits, total_responses))
end
