-- wrk script for scripts/load-test/run.sh: a fixed mix of good and bad uploads to /api/predict.
--
-- Every connection has its own thread (run with -t N -c N), so request() and response() alternate
-- strictly within a thread: the response always belongs to the kind sent last. Each response is
-- checked (status and a fragment of the JSON body); done() prints the counts and fails loudly.
local dir = os.getenv("LOAD_DIR")

local function read(name)
  local f = assert(io.open(dir .. "/" .. name, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

-- kind = {name, content type, body file, expected status, expected body fragment, weight}
local kinds = {
  {"good-jpeg", "image/jpeg", "good.jpg", 200, '"genre":"', 10},
  {"good-cover", "image/jpeg", "cover.jpg", 200, '"genre":"', 6},
  {"good-png-as-text", "text/plain", "good.png", 200, '"genre":"', 2},
  {"multipart", "multipart/form-data; boundary=loadtestboundary", "form.txt", 200, '"genre":"', 2},
  {"empty", "image/jpeg", "empty.bin", 400, '"code":"empty_body"', 1},
  {"text", "text/plain", "text.txt", 415, '"code":"not_an_image"', 1},
  {"truncated", "image/jpeg", "truncated.jpg", 422, '"code":"truncated_image"', 1},
  {"huge-header", "image/png", "huge.png", 413, '"code":"image_too_large"', 1},
  {"gif", "image/gif", "tiny.gif", 415, '"code":"unsupported_format"', 1},
  {"bad-multipart", "multipart/form-data", "text.txt", 400, '"code":"bad_multipart"', 1},
}

local schedule = {}
local requests = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for i, kind in ipairs(kinds) do
    requests[i] = wrk.format("POST", "/api/predict", {["Content-Type"] = kind[2]}, read(kind[3]))
    for _ = 1, kind[6] do table.insert(schedule, i) end
  end
  position = 0
  current = nil
  sent = 0
  ok = 0
  wrong = 0
  firstWrong = ""
end

function request()
  position = position % #schedule + 1
  current = schedule[position]
  sent = sent + 1
  return requests[current]
end

function response(status, headers, body)
  local kind = kinds[current]
  if status == kind[4] and body ~= nil and string.find(body, kind[5], 1, true) then
    ok = ok + 1
  else
    wrong = wrong + 1
    if firstWrong == "" then
      firstWrong = kind[1] .. ": status " .. status .. " body " .. string.sub(body or "", 1, 200)
    end
  end
end

function done(summary, latency, requests)
  local checked, bad = 0, 0
  for _, thread in ipairs(threads) do
    checked = checked + thread:get("ok") + thread:get("wrong")
    bad = bad + thread:get("wrong")
    local first = thread:get("firstWrong")
    if first ~= "" then io.write("first wrong response: " .. first .. "\n") end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT requests=%d checked=%d wrong=%d socket_errors=%d seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, checked, bad, e.connect + e.read + e.write + e.timeout, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
