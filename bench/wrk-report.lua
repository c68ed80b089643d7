-- wrk script for bench/load.sh: an optional POST body (WRK_BODY, form-encoded), and one
-- RESULT line per run with requests/s, p50/p99 latency and errors.
local body = os.getenv("WRK_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.0f p50_ms=%.1f p99_ms=%.1f requests=%d errors=%d (connect %d, read %d, write %d, timeout %d, non-2xx/3xx %d)\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout + e.status,
    e.connect, e.read, e.write, e.timeout, e.status))
end
