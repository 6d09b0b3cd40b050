-- Limits and interruption: a count hook asks the session (P.tick) whether the running cell must stop
-- (interrupt, timeout, instruction limit), and the protected-call functions re-raise such an abort so a
-- script's own pcall cannot swallow it.
local P, opts, M = ...

local error = error
local coroutine = coroutine
local real_pcall, real_xpcall = pcall, xpcall
local tpack, tunpack = table.pack, table.unpack
local sethook = debug.sethook
local co_create, co_resume, co_status, co_close = coroutine.create, coroutine.resume, coroutine.status, coroutine.close
local p_tick, p_pending = P.tick, P.pending
local hookcount = opts.hookcount

local function hook()
  local kind, msg = p_tick()
  if kind then error(msg, 0) end
end
sethook(hook, "", hookcount)

-- Raises the pending abort, if any, without counting instructions.
local function check_abort()
  local kind, msg = p_pending()
  if kind then error(msg, 0) end
end

local function pass(ok, ...)
  if not ok then check_abort() end
  return ok, ...
end
pcall = function(f, ...) return pass(real_pcall(f, ...)) end
xpcall = function(f, h, ...) return pass(real_xpcall(f, h, ...)) end

-- Hooks are per thread: every coroutine gets the same one.
coroutine.create = function(f)
  local co = co_create(f)
  sethook(co, hook, "", hookcount)
  return co
end
coroutine.resume = function(co, ...) return pass(co_resume(co, ...)) end
coroutine.wrap = function(f)
  local co = coroutine.create(f)
  return function(...)
    local r = tpack(co_resume(co, ...))
    if r[1] then return tunpack(r, 2, r.n) end
    check_abort()
    local e = r[2]
    if co_close and co_status(co) == "dead" then co_close(co) end
    error(e, 0)
  end
end

M.check_abort = check_abort
-- The display code must not re-raise an abort from inside its own protected calls.
M.raw_pcall = real_pcall
