-- Agent.builder():model("openai/gpt-4o-mini"):system_prompt(...):tools({...}):build()
local AgentResult = {__name = "AgentResult"}
AgentResult.__tostring = function(r) return r.text or "" end
AgentResult.__markdown = function(r) return r.text or "" end

local Agent_mt = {__name = "Agent"}
Agent_mt.__index = Agent_mt
Agent_mt.__tostring = function(a) return "Agent(" .. (a._name or a._id) .. ")" end

local function input_text(input, level)
  if type(input) == "table" then input = input.text or input.prompt or input.input end
  if type(input) ~= "string" then
    fail("an agent's input must be a string or {text = \"...\"}, got " .. type(input), level + 1)
  end
  return input
end

local function result_of(value)
  return setmetatable(value, AgentResult)
end

-- Starts a call without waiting (workflows run several at once).
function Agent_mt:_start(input, on_text, level)
  level = level or 1
  return start("agent_start", {agent = self._id, input = input_text(input, level + 1), stream = on_text ~= nil}, on_text, level + 1)
end

Agent_mt._wrap = result_of

function Agent_mt:execute(input)
  return result_of(await(self:_start(input, nil, 2)))
end

function Agent_mt:stream(input, callback)
  if callback ~= nil then check_type(callback, "function", "stream's callback", 2) end
  return result_of(await(self:_start(input, callback or function(chunk) write(chunk.text) end, 2)))
end
Agent_mt.invokeStream = Agent_mt.stream
Agent_mt.invoke = Agent_mt.execute

function Agent_mt:history() return invoke("agent_history", {agent = self._id}, 2) or {} end
function Agent_mt:reset() invoke("agent_reset", {agent = self._id}, 2) end
function Agent_mt:name() return self._name end

local Builder = {}
Builder.__index = Builder
Builder.__name = "AgentBuilder"

local setters = {
  name = "string", model = "string", system_prompt = "string", temperature = "number", max_tokens = "number",
  max_tool_rounds = "number", max_history = "number", base_url = "string", api_key = "string",
}
for key, expected in pairs(setters) do
  Builder[key] = function(self, value)
    check_type(value, expected, "Agent builder :" .. key .. "()", 2)
    self._spec[key] = value
    return self
  end
end
Builder.systemPrompt = Builder.system_prompt
Builder.maxTokens = Builder.max_tokens

function Builder:tools(names)
  check_type(names, "table", "Agent builder :tools()", 2)
  self._spec.tools = names
  return self
end

function Builder:build()
  local r = invoke("agent_new", self._spec, 2)
  return setmetatable({_id = r.id, _name = self._spec.name}, Agent_mt)
end

Agent = {
  builder = function() return setmetatable({_spec = {}}, Builder) end,
  -- Agent.create({model = ..., system_prompt = ..., tools = {...}}) builds in one call.
  create = function(spec)
    check_type(spec, "table", "Agent.create's argument", 2)
    local r = invoke("agent_new", spec, 2)
    return setmetatable({_id = r.id, _name = spec.name}, Agent_mt)
  end,
}
