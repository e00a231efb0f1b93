-- POST /generate: the agent extracts, storage-sqlite commits (group commit), the answer carries the id.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"prompt": "Design a 10-story office building with steel and glass, 40x30 m"}'
