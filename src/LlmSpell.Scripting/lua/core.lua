-- Shared by the other chunks (they run in one scope, in the order ScriptingLibrary lists them): the host
-- calls, JSON and the event pump that lets provider calls run elsewhere while this thread waits.
local host, M = ...
local call, encode, decode, abort, write = host.call, host.encode, host.decode, host.abort, host.write
local type, error, pairs, ipairs, setmetatable, tostring = type, error, pairs, ipairs, setmetatable, tostring
local pcall = M.raw_pcall or pcall
local check_abort = M.check_abort
local next, getmetatable, math_type = next, getmetatable, math.type

-- Calls the host; raises its error at `level` (1 = the caller of invoke's caller).
local function invoke(op, args, level)
  local json, err = encode(args)
  if not json then error(err, level + 1) end
  local res, e = call(op, json)
  if e then error(e, level + 1) end
  if res == nil then return nil end
  return (decode(res))
end

local function fail(msg, level) error(msg, level + 1) end

local function check_type(value, expected, what, level)
  if type(value) ~= expected then
    fail(what .. " must be a " .. expected .. ", got " .. type(value), level + 1)
  end
end

-- Calls in flight: handle → { on_text = fn?, finished = bool, result = value, err = message }.
local active = {}
local lua_tools = {}   -- name → handler (Tool.define)

local function cancel_all()
  for id, h in pairs(active) do
    call("cancel", encode({handle = id}))
    h.finished, h.err = true, h.err or "cancelled"
    active[id] = nil
  end
end

local function finish(id, h)
  h.finished = true
  active[id] = nil
  call("cancel", encode({handle = id}))
end

local function run_tool_handler(ev)
  local handler = lua_tools[ev.name]
  local reply = {handle = ev.handle, call_id = ev.call_id}
  if not handler then
    reply.error = "no Lua handler for tool '" .. tostring(ev.name) .. "'"
  else
    local ok, value = pcall(handler, ev.arguments or {})
    check_abort()
    if ok then
      local json, err = encode(value)
      if json then reply.result = value else reply.error = "the tool's result cannot be sent to the model: " .. err end
    else
      reply.error = type(value) == "string" and value or tostring(value)
    end
  end
  local json, err = encode(reply)
  if not json then reply.result = nil; reply.error = err; json = encode(reply) end
  call("tool_result", json)
end

local function dispatch(ev)
  local h = active[ev.handle]
  if ev.type == "tool" then
    run_tool_handler(ev)
  elseif not h then
    return
  elseif ev.type == "text" then
    if h.on_text then
      local ok, e = pcall(h.on_text, {text = ev.text})
      check_abort()
      if not ok then h.err = e; finish(ev.handle, h) end
    end
  elseif ev.type == "done" then
    h.result = ev.result
    finish(ev.handle, h)
  elseif ev.type == "error" then
    h.err = ev.message
    finish(ev.handle, h)
  end
end

-- Waits, running tool handlers and stream callbacks as their events arrive, until done() is true.
-- An interrupt or timeout cancels every call in flight (the HTTP requests are aborted) and stops the cell.
local function pump(done)
  while not done() do
    if abort() then cancel_all(); check_abort() end
    local res, e = call("wait", '{"timeout_ms":50}')
    if e then cancel_all(); error(e, 0) end
    if res then dispatch(decode(res)) end
  end
end

local function start(op, args, on_text, level)
  local r = invoke(op, args, level + 1)
  local h = {on_text = on_text, finished = false}
  active[r.handle] = h
  return h
end

-- Raises the call's error as is (the message already names the provider and the fix).
local function await(h)
  pump(function() return h.finished end)
  if h.err then error(h.err, 0) end
  return h.result
end
