-- One request, repeated: the method, the body (a file) and the credentials come from the environment, so
-- tests/load/bench.sh drives every endpoint with this one script.
--   BENCH_METHOD (default GET), BENCH_BODY_FILE (JSON sent as application/json), BENCH_API_KEY (X-API-Key),
--   BENCH_BEARER (Authorization: Bearer ...)
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "report.lua")
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body_file = os.getenv("BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end
local api_key = os.getenv("BENCH_API_KEY")
if api_key and api_key ~= "" then wrk.headers["X-API-Key"] = api_key end
local bearer = os.getenv("BENCH_BEARER")
if bearer and bearer ~= "" then wrk.headers["Authorization"] = "Bearer " .. bearer end
