-- wrk script for benchmark/run.sh: POSTs one DynamoDB request with SigV4-shaped headers over
-- wrk's keep-alive connection, and prints one machine-readable line when done.
--   DY_WRK_OP    operation name, e.g. GetItem (X-Amz-Target: DynamoDB_20120810.<op>)
--   DY_WRK_BODY  file holding the request body (benchmark/fixtures/requests/<op>.json)
local op = os.getenv("DY_WRK_OP") or "GetItem"
local path = os.getenv("DY_WRK_BODY")
local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = "/"
wrk.body = body
-- The headers dynantic sends (Host and Content-Length are added by wrk), with values of the
-- same length: a signature is 64 hex digits.
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. op
wrk.headers["X-Amz-Date"] = "20240101T000000Z"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCHMARK/20240101/us-east-1/dynamodb/aws4_request, "
  .. "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
  .. "Signature=" .. string.rep("0123456789abcdef", 4)
wrk.headers["Connection"] = "keep-alive"

done = function(summary, latency, requests)
  io.write(string.format("DYWRK requests=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
