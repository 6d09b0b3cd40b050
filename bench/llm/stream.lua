-- llmspell side of the TTFT benchmark: ARGS[1] sequential streamed agent calls against the double.
-- Prints "S" before each call, "T" on its first content chunk, "E" after the call returns (the harness timestamps lines).
local n = tonumber(ARGS[1])
local a = Agent.builder():model("openai/bench"):build()
for i = 1, n do
  io.write("S\n") io.flush()
  local first = true
  local len = 0
  a:stream("hi", function(chunk)
    if first then io.write("T\n") io.flush() first = false end
  end)
  io.write("E\n") io.flush()
end
