-- Workflow.builder():parallel():add_step{name=, agent=|tool=|fn=, input=}:build():execute(input)
local Workflow_mt = {__name = "Workflow"}
Workflow_mt.__index = Workflow_mt

local function step_input(step, ctx)
  if type(step.input) == "function" then return step.input(ctx) end
  return step.input
end

local function now() return invoke("now", nil, 1) end

-- Runs one step to completion on this thread.
local function run_step(step, ctx)
  local input = step_input(step, ctx)
  if step.agent then return step.agent:execute(input) end
  if step.tool then return Tool.execute(step.tool, input) end
  return step.fn(ctx)
end

local function message(e) return type(e) == "string" and e or tostring(e) end

local function run_sequential(wf, ctx)
  for _, step in ipairs(wf._steps) do
    local ok, out = pcall(run_step, step, ctx)
    check_abort()
    if ok then ctx.outputs[step.name] = out
    else
      ctx.errors[step.name] = message(out)
      if wf._on_error == "stop" then return end
    end
  end
end

-- Agent steps and built-in tool steps run concurrently (up to max_concurrency); Lua tool steps run here
-- while the others are in flight.
local function run_parallel(wf, ctx)
  local pending, inflight, stopped = {}, 0, false
  for i, step in ipairs(wf._steps) do pending[i] = step end
  local next_index, running = 1, {}
  local function launch()
    while not stopped and next_index <= #pending and inflight < wf._max do
      local step = pending[next_index]
      next_index = next_index + 1
      local ok, h = pcall(function()
        local input = step_input(step, ctx)
        if step.agent then return step.agent:_start(input, nil, 1) end
        if lua_tools[step.tool] then return {finished = true, result = lua_tools[step.tool](input or {})} end
        return start("tool_start", {name = step.tool, args = input or {}}, nil, 1)
      end)
      check_abort()
      if ok then running[step] = h; inflight = inflight + 1
      else
        ctx.errors[step.name] = message(h)
        if wf._on_error == "stop" then stopped = true end
      end
    end
  end
  local function collect()
    for step, h in pairs(running) do
      if h.finished then
        running[step] = nil
        inflight = inflight - 1
        if h.err then
          ctx.errors[step.name] = message(h.err)
          if wf._on_error == "stop" then stopped = true end
        else
          ctx.outputs[step.name] = step.agent and Agent_mt._wrap(h.result) or h.result
        end
      end
    end
  end
  launch()
  pump(function()
    collect()
    if stopped then
      for step, h in pairs(running) do
        for id, a in pairs(active) do if a == h then finish(id, a) end end
        ctx.errors[step.name] = ctx.errors[step.name] or "cancelled: another step failed (on_error = \"stop\")"
        running[step] = nil
      end
      return true
    end
    launch()
    return next(running) == nil and next_index > #pending
  end)
end

function Workflow_mt:execute(input)
  local started = now()
  local ctx = {input = input, outputs = {}, errors = {}}
  if self._mode == "parallel" then run_parallel(self, ctx) else run_sequential(self, ctx) end
  local status = next(ctx.errors) == nil and "ok" or "error"
  return {status = status, outputs = ctx.outputs, errors = ctx.errors, duration_ms = now() - started, name = self._name}
end
Workflow_mt.run = Workflow_mt.execute

local Builder = {__name = "WorkflowBuilder"}
Builder.__index = Builder

function Builder:name(n) check_type(n, "string", "Workflow builder :name()", 2); self._wf._name = n; return self end
function Builder:sequential() self._wf._mode = "sequential"; return self end
function Builder:parallel() self._wf._mode = "parallel"; return self end
function Builder:max_concurrency(n)
  if math_type(n) ~= "integer" or n < 1 then fail("Workflow builder :max_concurrency() must be a positive integer, got " .. tostring(n), 2) end
  self._wf._max = n
  return self
end
function Builder:on_error(mode)
  if mode ~= "stop" and mode ~= "continue" then
    fail("Workflow builder :on_error() must be \"stop\" or \"continue\", got " .. tostring(mode), 2)
  end
  self._wf._on_error = mode
  return self
end

function Builder:add_step(step)
  check_type(step, "table", "Workflow builder :add_step()", 2)
  local n = #self._wf._steps + 1
  step.name = step.name or ("step" .. n)
  local kinds = (step.agent and 1 or 0) + (step.tool and 1 or 0) + (step.fn and 1 or 0)
  if kinds ~= 1 then
    fail("workflow step '" .. step.name .. "' needs exactly one of agent =, tool = or fn =", 2)
  end
  if step.agent and getmetatable(step.agent) ~= Agent_mt then
    fail("workflow step '" .. step.name .. "': agent = must be an agent from Agent.builder():build()", 2)
  end
  if step.tool then check_type(step.tool, "string", "workflow step '" .. step.name .. "': tool", 2) end
  if step.fn then check_type(step.fn, "function", "workflow step '" .. step.name .. "': fn", 2) end
  for _, other in ipairs(self._wf._steps) do
    if other.name == step.name then fail("workflow step name '" .. step.name .. "' is used twice", 2) end
  end
  self._wf._steps[n] = step
  return self
end
Builder.step = Builder.add_step

function Builder:build()
  local wf = self._wf
  if #wf._steps == 0 then fail("a workflow needs at least one step (:add_step{...})", 2) end
  if wf._mode == "parallel" then
    for _, step in ipairs(wf._steps) do
      if step.fn then fail("workflow step '" .. step.name .. "': fn steps run only in sequential workflows", 2) end
    end
  end
  return setmetatable(wf, Workflow_mt)
end

Workflow = {
  builder = function()
    return setmetatable({_wf = {_steps = {}, _mode = "sequential", _max = 8, _on_error = "stop"}}, Builder)
  end,
}
Workflow.sequential = function() return Workflow.builder():sequential() end
Workflow.parallel = function() return Workflow.builder():parallel() end
