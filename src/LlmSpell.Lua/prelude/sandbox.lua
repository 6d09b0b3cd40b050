-- The sandbox: confines file access to the working directory (the session resolves and checks every path,
-- P.resolve; temporary files are made there too) and, unless opts.unsafe, removes what could escape it:
-- processes, native code, binary chunks, the debug library and the collector controls that could stall the kernel. os.getenv reads only what the
-- session allows (P.getenv: an allow-list, and never a secret-looking name).
local P, opts, M = ...

local type, tostring, select, error, rawget = type, tostring, select, error, rawget
local sfmt = string.format
local io, os, package = io, os, package
local real_os_remove, real_os_rename = os.remove, os.rename
local real_load, real_loadfile = load, loadfile
local real_cg = collectgarbage
local real_setmetatable = setmetatable
local p_resolve, p_getenv, p_tmpname = P.resolve, P.getenv, P.tmpname
local real_io_open = io.open
local unsafe, wd, refusal = opts.unsafe, opts.wd, opts.refusal

local function disabled(name)
  return function() error(name .. " is disabled by the sandbox" .. refusal, 2) end
end

-- Returns the absolute path the session allows for p, or raises at the caller of the io/os function.
local function checkpath(p, what)
  if type(p) ~= "string" then
    error(sfmt("bad argument #1 to '%s' (string expected, got %s)", what, type(p)), 3)
  end
  local abs, e = p_resolve(p)
  if not abs then error(e, 3) end
  return abs
end

---------------------------------------------------------------- processes and files
if not unsafe then io.popen = disabled("io.popen") end
os.exit = function()
  error("os.exit is not allowed inside the kernel (restart the kernel to reset the session)", 2)
end
if not unsafe then os.execute = disabled("os.execute") end
os.remove = function(p) return real_os_remove(checkpath(p, "remove")) end
os.rename = function(a, b) return real_os_rename(checkpath(a, "rename"), checkpath(b, "rename")) end

if not unsafe then
  os.tmpname = function()
    local p, e = p_tmpname()
    if not p then error(e, 2) end
    return p
  end
  io.tmpfile = function()
    local p, e = p_tmpname("tmpfile")
    if not p then return nil, e end
    local f, oe = real_io_open(p, "w+b")
    -- Unlinked at once where the system allows it (like C's tmpfile); otherwise removed at the session's end.
    real_os_remove(p)
    return f, oe
  end
end
os.getenv = function(name)
  if type(name) ~= "string" then
    error(sfmt("bad argument #1 to 'getenv' (string expected, got %s)", type(name)), 2)
  end
  return p_getenv(name)
end

---------------------------------------------------------------- chunks
load = function(chunk, name, mode, ...)
  if not unsafe then mode = "t" end
  if select("#", ...) > 0 then return real_load(chunk, name, mode, (...)) end
  return real_load(chunk, name, mode)
end
loadstring = nil
loadfile = function(path, mode, ...)
  if path == nil then return nil, "loadfile: reading a chunk from stdin is not supported" end
  local abs = checkpath(path, "loadfile")
  if not unsafe then mode = "t" end
  if select("#", ...) > 0 then return real_loadfile(abs, mode, (...)) end
  return real_loadfile(abs, mode)
end
local sandbox_loadfile = loadfile
dofile = function(path)
  if path == nil then error("dofile: reading a chunk from stdin is not supported", 2) end
  local f, e = sandbox_loadfile(path)
  if not f then error(e, 2) end
  return f()
end

-- Taken before it is hidden: the display and introspection chunks still need it.
M.debug = debug

if not unsafe then
  package.loadlib = disabled("package.loadlib")
  package.cpath = ""
  package.path = wd .. "/?.lua;" .. wd .. "/?/init.lua"
  -- Keep the preload searcher; replace the Lua searcher by one that goes through the path check.
  local searchers = package.searchers
  for i = #searchers, 3, -1 do searchers[i] = nil end
  local searchpath = package.searchpath
  searchers[2] = function(name)
    local fname, e = searchpath(name, package.path)
    if not fname then return "\n\t" .. e end
    local abs, re = p_resolve(fname)
    if not abs then return "\n\t" .. re end
    local f, le = real_loadfile(abs, "t")
    if not f then
      error(sfmt("error loading module '%s' from file '%s':\n\t%s", name, fname, le), 0)
    end
    return f, abs
  end
  package.loaded.debug = nil
  debug = nil
  local allowed = {collect = true, count = true, step = true, isrunning = true}
  collectgarbage = function(opt, ...)
    if opt == nil or allowed[opt] then return real_cg(opt, ...) end
    error(sfmt("collectgarbage('%s') is disabled by the sandbox", tostring(opt)) .. refusal, 2)
  end

  -- Lua runs finalizers with hooks off: one that loops could never be interrupted or limited. An object is only
  -- marked for finalization if its metatable has a raw __gc field when it is set, so refusing that here is enough.
  local gc_refusal = "__gc finalizers are not allowed in the sandbox: they run with interrupts and limits off" .. refusal
  setmetatable = function(t, mt)
    if type(mt) == "table" and rawget(mt, "__gc") ~= nil then error(gc_refusal, 2) end
    return real_setmetatable(t, mt)
  end
  -- File handles are already marked; a script must not swap the __gc of their shared metatable.
  local fh_mt = getmetatable(io.stdout)
  if type(fh_mt) == "table" then fh_mt.__metatable = "FILE*" end
end

M.checkpath = checkpath
