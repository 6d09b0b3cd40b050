namespace LlmSpell.Lua;

/// <summary>
/// Lua code run once per session with full privileges. It receives the managed primitives and options,
/// installs the sandbox and the stdio redirection, and returns a table of private helpers the session
/// calls from C# (message handler, display, completion, inspection). Helpers keep private references
/// (e.g. to the debug library) in upvalues that scripts cannot reach.
/// </summary>
internal static class LuaPrelude
{
    public const string ChunkName = "=[llmspell]";

    public const string Source = """
local P, opts = ...
local unsafe, wd, hookcount, refusal = opts.unsafe, opts.wd, opts.hookcount, opts.refusal

local type, tostring, tonumber, rawget, rawset, rawlen, rawequal, next, select, error, setmetatable, ipairs =
      type, tostring, tonumber, rawget, rawset, rawlen, rawequal, next, select, error, setmetatable, ipairs
local real_pcall, real_xpcall = pcall, xpcall
local sfmt, ssub, sfind, sgsub, smatch, sbyte, srep = string.format, string.sub, string.find, string.gsub, string.match, string.byte, string.rep
local tconcat, tsort, tunpack, tpack = table.concat, table.sort, table.unpack, table.pack
local mtype, mmin = math.type, math.min
local dbg = debug
local getinfo, getlocal, sethook, dgetmetatable, traceback = dbg.getinfo, dbg.getlocal, dbg.sethook, dbg.getmetatable, dbg.traceback
local co_create, co_resume, co_status, co_close = coroutine.create, coroutine.resume, coroutine.status, coroutine.close
local io, os, package = io, os, package
local real_io_open, real_io_lines, real_io_type, real_io_close = io.open, io.lines, io.type, io.close
local real_os_remove, real_os_rename = os.remove, os.rename
local real_load, real_loadfile = load, loadfile
local real_cg = collectgarbage
local G = _G
local p_out, p_err, p_read, p_tick, p_pending, p_resolve = P.out, P.err, P.read, P.tick, P.pending, P.resolve

local function disabled(name)
  return function() error(name .. " is disabled by the sandbox" .. refusal, 2) end
end

---------------------------------------------------------------- interruption / limits
local function hook()
  local kind, msg = p_tick()
  if kind then error(msg, 0) end
end
sethook(hook, "", hookcount)

local function check_abort()
  local kind, msg = p_pending()
  if kind then error(msg, 0) end
end

-- An abort (interrupt, timeout, limit) must not be swallowed by the script's own pcall.
local function pass(ok, ...)
  if not ok then check_abort() end
  return ok, ...
end
pcall = function(f, ...) return pass(real_pcall(f, ...)) end
xpcall = function(f, h, ...) return pass(real_xpcall(f, h, ...)) end

local coroutine = coroutine
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

---------------------------------------------------------------- stdio
local function send(fn, s, level)
  local _, e = fn(s)
  if e then error(e, level + 1) end
end

print = function(...)
  local n = select("#", ...)
  local buf = {}
  for i = 1, n do buf[i] = tostring((select(i, ...))) end
  send(p_out, tconcat(buf, "\t", 1, n) .. "\n", 2)
end

local function towrite(v, i)
  local tv = type(v)
  if tv == "string" then return v end
  if tv == "number" then
    if mtype(v) == "integer" then return sfmt("%d", v) end
    return sfmt("%.14g", v)
  end
  error(sfmt("bad argument #%d to 'write' (string expected, got %s)", i, tv), 3)
end

local function std_file(name)
  return setmetatable({}, {__name = "FILE*", __tostring = function() return "file (" .. name .. ")" end})
end
local stdout, stderr, stdin = std_file("stdout"), std_file("stderr"), std_file("stdin")
local function out_methods(fn)
  local m = {}
  m.write = function(self, ...)
    local n = select("#", ...)
    local buf = {}
    for i = 1, n do buf[i] = towrite((select(i, ...)), i) end
    local s = tconcat(buf)
    if #s > 0 then send(fn, s, 2) end
    return self
  end
  m.flush = function(self) return self end
  m.setvbuf = function() return true end
  m.close = function() return nil, "cannot close standard file" end
  m.seek = function() return nil, "Illegal seek", 29 end
  m.read = function() return nil, "Bad file descriptor", 9 end
  m.lines = function() error("file is not readable", 2) end
  return m
end
getmetatable(stdout).__index = out_methods(p_out)
getmetatable(stderr).__index = out_methods(p_err)

local function readline()
  local line, e = p_read()
  check_abort()
  if e then error(e, 3) end
  return line
end
local function read_one(fmt)
  if mtype(fmt) == "integer" or type(fmt) == "number" then
    local line = readline()
    if line == nil then return nil end
    return ssub(line, 1, fmt)
  end
  if type(fmt) ~= "string" then error("bad argument #1 to 'read' (invalid format)", 3) end
  local f = ssub(sgsub(fmt, "^%*", ""), 1, 1)
  if f == "l" then return readline()
  elseif f == "L" then local l = readline() return l and l .. "\n"
  elseif f == "n" then local l = readline() return l and tonumber(l)
  elseif f == "a" then return readline() or ""
  end
  error("bad argument #1 to 'read' (invalid format)", 3)
end
local function stdin_read(self, ...)
  local n = select("#", ...)
  if n == 0 then return read_one("l") end
  local res = {}
  for i = 1, n do
    local v = read_one((select(i, ...)))
    res[i] = v
    if v == nil then return tunpack(res, 1, i) end
  end
  return tunpack(res, 1, n)
end
local in_methods = {
  read = stdin_read,
  lines = function(self, ...)
    local fmts = tpack(...)
    return function() return stdin_read(self, tunpack(fmts, 1, fmts.n)) end
  end,
  close = function() return nil, "cannot close standard file" end,
  write = function() return nil, "Bad file descriptor", 9 end,
  flush = function(self) return self end,
  setvbuf = function() return true end,
}
getmetatable(stdin).__index = in_methods

local function is_std(f) return rawequal(f, stdout) or rawequal(f, stderr) or rawequal(f, stdin) end

local function checkpath(p, what)
  if type(p) ~= "string" then
    error(sfmt("bad argument #1 to '%s' (string expected, got %s)", what, type(p)), 3)
  end
  local abs, e = p_resolve(p)
  if not abs then error(e, 3) end
  return abs
end

local cur_out, cur_in = stdout, stdin
io.stdout, io.stderr, io.stdin = stdout, stderr, stdin
io.write = function(...) return cur_out:write(...) end
io.read = function(...) return cur_in:read(...) end
io.type = function(f)
  if is_std(f) then return "file" end
  return real_io_type(f)
end
io.open = function(path, mode)
  local abs = checkpath(path, "open")
  if mode == nil then return real_io_open(abs) end
  return real_io_open(abs, mode)
end
io.lines = function(path, ...)
  if path == nil then return cur_in:lines(...) end
  return real_io_lines(checkpath(path, "lines"), ...)
end
io.output = function(f)
  if f == nil then return cur_out end
  if type(f) == "string" then
    local h, e = real_io_open(checkpath(f, "output"), "w")
    if not h then error(e, 2) end
    cur_out = h
  else
    cur_out = f
  end
  return cur_out
end
io.input = function(f)
  if f == nil then return cur_in end
  if type(f) == "string" then
    local h, e = real_io_open(checkpath(f, "input"), "r")
    if not h then error(e, 2) end
    cur_in = h
  else
    cur_in = f
  end
  return cur_in
end
io.close = function(f)
  if f == nil then f = cur_out end
  if is_std(f) then return nil, "cannot close standard file" end
  return real_io_close(f)
end
if not unsafe then io.popen = disabled("io.popen") end

---------------------------------------------------------------- os
os.exit = function()
  error("os.exit is not allowed inside the kernel (restart the kernel to reset the session)", 2)
end
if not unsafe then os.execute = disabled("os.execute") end
os.remove = function(p) return real_os_remove(checkpath(p, "remove")) end
os.rename = function(a, b) return real_os_rename(checkpath(a, "rename"), checkpath(b, "rename")) end

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

if not unsafe then
  package.loadlib = disabled("package.loadlib")
  package.cpath = ""
  package.path = wd .. "/?.lua;" .. wd .. "/?/init.lua"
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
end

---------------------------------------------------------------- display
local KEYWORDS = {}
for _, k in ipairs({"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
                    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"}) do
  KEYWORDS[k] = true
end
local function is_ident(k)
  return type(k) == "string" and smatch(k, "^[%a_][%w_]*$") ~= nil and not KEYWORDS[k]
end

local ESC = {["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ["\""] = "\\\"", ["\\"] = "\\\\", ["\0"] = "\\0"}
local function quote(s)
  return '"' .. sgsub(s, '[%c"\\]', function(c) return ESC[c] or sfmt("\\%d", sbyte(c)) end) .. '"'
end

local function safe_tostring(v)
  local ok, s = real_pcall(tostring, v)
  if ok and type(s) == "string" then return s end
  return "<" .. type(v) .. ">"
end

local function has_tostring(v)
  local mt = dgetmetatable(v)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

local ORDER = {number = 1, string = 2, boolean = 3}
local function keycmp(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    local oa, ob = ORDER[ta] or 9, ORDER[tb] or 9
    if oa ~= ob then return oa < ob end
    return ta < tb
  end
  if ta == "number" or ta == "string" then return a < b end
  return safe_tostring(a) < safe_tostring(b)
end

local MAXDEPTH, MAXITEMS, MAXKEYS, MAXLEN = 4, 100, 1000, 20000

local fmt_value
local function fmt_key(k, seen)
  if is_ident(k) then return k end
  if type(k) == "string" then return "[" .. quote(k) .. "]" end
  if type(k) == "table" then return "[" .. fmt_value(k, MAXDEPTH, seen) .. "]" end
  return "[" .. safe_tostring(k) .. "]"
end

fmt_value = function(v, depth, seen)
  local tv = type(v)
  if tv == "string" then return quote(v) end
  if tv ~= "table" or has_tostring(v) then return safe_tostring(v) end
  if seen[v] then return "<cycle>" end
  if depth >= MAXDEPTH then return (next(v) == nil) and "{}" or "{...}" end
  seen[v] = true
  local parts, count = {}, 0
  local n = rawlen(v)
  local truncated = false
  for i = 1, n do
    count = count + 1
    if count > MAXITEMS then truncated = true break end
    parts[#parts + 1] = fmt_value(rawget(v, i), depth + 1, seen)
  end
  if not truncated then
    local keys = {}
    for k in next, v do
      if not (mtype(k) == "integer" and k >= 1 and k <= n) then
        keys[#keys + 1] = k
        if #keys >= MAXKEYS then break end
      end
    end
    real_pcall(tsort, keys, keycmp)
    for _, k in ipairs(keys) do
      count = count + 1
      if count > MAXITEMS then truncated = true break end
      parts[#parts + 1] = fmt_key(k, seen) .. " = " .. fmt_value(rawget(v, k), depth + 1, seen)
    end
  end
  if truncated then parts[#parts + 1] = "..." end
  seen[v] = nil
  return "{" .. tconcat(parts, ", ") .. "}"
end

local function display_one(v)
  local s
  if type(v) == "string" then s = v else s = fmt_value(v, 0, {}) end
  if #s > MAXLEN then s = ssub(s, 1, MAXLEN) .. "..." end
  return s
end

local H = {}

-- Private message handler: captures the traceback before the stack unwinds.
local ERRMARK = {}
H.msgh = function(e)
  local tb = traceback(nil, 2)
  return {[ERRMARK] = true, err = e, tb = tb}
end

H.display = function(...)
  local args = tpack(...)
  if args.n == 0 then return nil end
  local buf, len = {}, 0
  for i = 1, args.n do
    local s = display_one(args[i])
    buf[i] = s
    len = len + #s + 1
    if len > MAXLEN then buf[i + 1] = "..." break end
  end
  return tconcat(buf, "\t")
end

local function errstr(e)
  if type(e) == "string" then return e end
  if type(e) == "number" then return safe_tostring(e) end
  if e == nil then return "nil" end
  return display_one(e)
end

-- Returns message, traceback (or nil).
H.describe = function(e)
  if type(e) == "table" and rawget(e, ERRMARK) then
    return errstr(rawget(e, "err")), rawget(e, "tb")
  end
  return errstr(e), nil
end

---------------------------------------------------------------- completion / inspection
local function index_lookup(t, k)
  -- Raw lookups only: the table itself, then __index tables of its metatables (never __index functions).
  for _ = 1, 16 do
    if type(t) == "table" then
      local v = rawget(t, k)
      if v ~= nil then return v end
    end
    local mt = dgetmetatable(t)
    if type(mt) ~= "table" then return nil end
    local idx = rawget(mt, "__index")
    if type(idx) ~= "table" then return nil end
    t = idx
  end
  return nil
end

local function resolve(parts, strbase)
  local v
  local first = 1
  if strbase then v = "" else
    if #parts == 0 then return nil end
    v = rawget(G, parts[1])
    first = 2
    if v == nil then v = index_lookup(G, parts[1]) end
  end
  for i = first, #parts do
    if v == nil then return nil end
    v = index_lookup(v, parts[i])
  end
  return v
end

local function collect(t, methods, into)
  for _ = 1, 16 do
    if type(t) == "table" then
      local count = 0
      for k, v in next, t do
        if is_ident(k) and (not methods or type(v) == "function") then into[k] = true end
        count = count + 1
        if count > 100000 then break end
      end
    end
    local mt = dgetmetatable(t)
    if type(mt) ~= "table" then return end
    local idx = rawget(mt, "__index")
    if type(idx) ~= "table" then return end
    t = idx
  end
end

-- parts: chain before the separator (may be empty); sep: nil, "." or ":"; prefix: partial name.
H.complete = function(parts, prefix, sep, strbase)
  local names = {}
  if sep == nil then
    collect(G, false, names)
    for k in next, KEYWORDS do names[k] = true end
  else
    local base = resolve(parts, strbase)
    if base == nil then return {} end
    collect(base, sep == ":", names)
  end
  local res = {}
  local plen = #prefix
  for k in next, names do
    if ssub(k, 1, plen) == prefix then res[#res + 1] = k end
  end
  tsort(res)
  return res
end

local DOCS = {}
local function doc(f, sig, text) if f ~= nil then DOCS[f] = {sig, text} end end
doc(print, "print(...)", "Writes the tostring() of each argument to stdout, separated by tabs, followed by a newline.")
doc(pairs, "pairs(t)", "Returns an iterator over all key/value pairs of t (honours __pairs).")
doc(ipairs, "ipairs(t)", "Iterates t[1], t[2], ... up to the first nil.")
doc(type, "type(v)", "Returns the type of v as a string.")
doc(tostring, "tostring(v)", "Converts v to a string (honours __tostring).")
doc(tonumber, "tonumber(e [, base])", "Converts e to a number, or returns nil (fail).")
doc(select, "select(n, ...)", "Returns the arguments after index n, or their count when n is '#'.")
doc(error, "error(message [, level])", "Raises an error with the given value.")
doc(pcall, "pcall(f, ...)", "Calls f in protected mode; returns true plus results, or false plus the error.")
doc(xpcall, "xpcall(f, msgh, ...)", "Like pcall, with a message handler.")
doc(assert, "assert(v [, message])", "Raises an error if v is false or nil; otherwise returns all arguments.")
doc(setmetatable, "setmetatable(t, mt)", "Sets the metatable of t and returns t.")
doc(getmetatable, "getmetatable(v)", "Returns the metatable of v (or its __metatable field).")
doc(rawget, "rawget(t, k)", "Gets t[k] without invoking metamethods.")
doc(rawset, "rawset(t, k, v)", "Sets t[k] = v without invoking metamethods.")
doc(next, "next(t [, k])", "Returns the next key/value pair of t after k.")
doc(require, "require(modname)", "Loads and returns a module.")
doc(load, "load(chunk [, chunkname [, mode [, env]]])", "Compiles a chunk (text only in the sandbox) and returns it as a function.")
doc(string.format, "string.format(fmt, ...)", "Returns a formatted string (printf-style directives).")
doc(string.rep, "string.rep(s, n [, sep])", "Returns n copies of s separated by sep.")
doc(string.sub, "string.sub(s, i [, j])", "Returns the substring of s from i to j.")
doc(string.upper, "string.upper(s)", "Returns s converted to upper case.")
doc(string.lower, "string.lower(s)", "Returns s converted to lower case.")
doc(string.find, "string.find(s, pattern [, init [, plain]])", "Finds the first match of pattern in s; returns start, end and captures.")
doc(string.match, "string.match(s, pattern [, init])", "Returns the captures of the first match of pattern in s.")
doc(string.gmatch, "string.gmatch(s, pattern [, init])", "Returns an iterator over the matches of pattern in s.")
doc(string.gsub, "string.gsub(s, pattern, repl [, n])", "Replaces matches of pattern; returns the new string and the count.")
doc(string.len, "string.len(s)", "Returns the length of s in bytes.")
doc(table.insert, "table.insert(t, [pos,] value)", "Inserts value at position pos (default: the end) of list t.")
doc(table.remove, "table.remove(t [, pos])", "Removes and returns the element at pos (default: the last).")
doc(table.concat, "table.concat(t [, sep [, i [, j]]])", "Concatenates the strings/numbers t[i..j] with sep.")
doc(table.sort, "table.sort(t [, comp])", "Sorts list t in place.")
doc(table.unpack, "table.unpack(t [, i [, j]])", "Returns t[i], ..., t[j].")
doc(math.floor, "math.floor(x)", "Returns the largest integer <= x.")
doc(math.random, "math.random([m [, n]])", "Returns a pseudo-random number.")
doc(io.write, "io.write(...)", "Writes strings/numbers to the current output (the notebook's stdout).")
doc(io.read, "io.read(...)", "Reads from stdin using the notebook's input prompt; formats \"l\", \"L\", \"n\", \"a\".")
doc(os.time, "os.time([t])", "Returns the current time, or the time described by table t.")
doc(os.clock, "os.clock()", "Returns the CPU time used by the program, in seconds.")

local function describe_function(name, f, detail)
  local lines = {}
  local info = getinfo(f, "Su")
  local d = DOCS[f]
  local builtin = info.what == "C" or sfind(info.short_src or "", "[llmspell]", 1, true) ~= nil
  if d then
    lines[#lines + 1] = name .. ": built-in function"
    lines[#lines + 1] = "Signature: " .. d[1]
    lines[#lines + 1] = d[2]
    return tconcat(lines, "\n")
  end
  if builtin then
    lines[#lines + 1] = name .. (info.what == "C" and ": built-in function (C)" or ": built-in function (sandboxed library wrapper)")
    return tconcat(lines, "\n")
  end
  local params = {}
  for i = 1, info.nparams or 0 do params[#params + 1] = getlocal(f, i) or ("arg" .. i) end
  if info.isvararg then params[#params + 1] = "..." end
  lines[#lines + 1] = name .. ": function (Lua)"
  lines[#lines + 1] = "Signature: " .. name .. "(" .. tconcat(params, ", ") .. ")"
  lines[#lines + 1] = sfmt("Defined at: %s:%d-%d", info.short_src, info.linedefined, info.lastlinedefined)
  lines[#lines + 1] = sfmt("Parameters: %d%s", info.nparams or 0, info.isvararg and " (+ varargs)" or "")
  return tconcat(lines, "\n")
end

local function describe_table(name, t, detail)
  local n = rawlen(t)
  local keys, total = {}, 0
  for k in next, t do
    total = total + 1
    if not (mtype(k) == "integer" and k >= 1 and k <= n) and #keys < 1000 then keys[#keys + 1] = k end
  end
  real_pcall(tsort, keys, keycmp)
  local limit = detail > 0 and 100 or 20
  local shown = {}
  for i = 1, mmin(#keys, limit) do
    local k = keys[i]
    local ks = is_ident(k) and k or fmt_key(k, {})
    if detail > 0 then ks = ks .. " (" .. type(rawget(t, k)) .. ")" end
    shown[#shown + 1] = ks
  end
  local lines = {}
  lines[#lines + 1] = name .. ": table"
  lines[#lines + 1] = sfmt("Array items: %d", n)
  lines[#lines + 1] = sfmt("Other keys: %d%s", total - n < 0 and 0 or total - n, #shown > 0 and (": " .. tconcat(shown, ", ") .. (#keys > limit and ", ..." or "")) or "")
  local mt = dgetmetatable(t)
  lines[#lines + 1] = "Metatable: " .. (mt ~= nil and "yes" or "no")
  if detail > 0 then lines[#lines + 1] = "Value: " .. display_one(t) end
  return tconcat(lines, "\n")
end

H.inspect = function(parts, strbase, name, detail)
  local v = resolve(parts, strbase)
  if v == nil then return nil end
  local tv = type(v)
  if tv == "function" then return describe_function(name, v, detail) end
  if tv == "table" then return describe_table(name, v, detail) end
  local s
  if tv == "string" or tv == "number" or tv == "boolean" then s = display_one(v) else s = "<" .. tv .. ">" end
  if tv == "string" and #s > 2000 then s = ssub(s, 1, 2000) .. "..." end
  local lines = {name .. ": " .. tv}
  if tv == "string" then lines[#lines + 1] = sfmt("Length: %d", #v) end
  lines[#lines + 1] = "Value: " .. s
  return tconcat(lines, "\n")
end

return H
""";
}
