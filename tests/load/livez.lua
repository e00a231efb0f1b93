-- GET /livez: the cheapest endpoint, the reference for the host's own overhead.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "report.lua")
wrk.method = "GET"
