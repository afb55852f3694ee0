-- wrk script: optional method/body/headers from the environment, and a JSON summary line.
local method = os.getenv("BENCH_METHOD")
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local ctype = os.getenv("BENCH_CONTENT_TYPE")

request = function()
  local headers = {}
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if ctype and ctype ~= "" then headers["Content-Type"] = ctype end
  headers["Referer"] = os.getenv("BENCH_REFERER") or "http://127.0.0.1/"
  return wrk.format(method or "GET", nil, headers, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "non_2xx_3xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, errors))
end
