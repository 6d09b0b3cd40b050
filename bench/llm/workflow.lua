-- 100 agent calls in one parallel workflow (max_concurrency ARGS[1]), repeated ARGS[2] times after a warm-up round.
-- Prints "READY" and waits for a line on stdin before each round so the harness can sample RSS before it,
-- then "W <status> <duration_ms>" after it.
local n = tonumber(ARGS[1])
local rounds = tonumber(ARGS[2])
local a = Agent.builder():model("openai/bench"):build()
for round = 0, rounds do
  local b = Workflow.builder():parallel():max_concurrency(n)
  for i = 1, n do b = b:add_step({name = "s" .. i, agent = a, input = "hi"}) end
  local wf = b:build()
  io.write("READY\n") io.flush()
  io.read("l")
  local r = wf:execute()
  io.write("W " .. tostring(r.status) .. " " .. tostring(r.duration_ms) .. "\n") io.flush()
end
