-- Completion and inspection for the front end (M.complete, M.inspect). They run with no limit armed, so they
-- never run user code: values are formatted raw (M.display_one) and lookups are raw gets, following __index
-- tables but never __index functions.
local _, _, M = ...

local type, rawget, rawlen, next = type, rawget, rawlen, next
local sfmt, ssub, sfind = string.format, string.sub, string.find
local tconcat, tsort = table.concat, table.sort
local mtype, mmin = math.type, math.min
local getinfo, getlocal, dgetmetatable = M.debug.getinfo, M.debug.getlocal, M.debug.getmetatable
local real_pcall = M.raw_pcall
local KEYWORDS, is_ident, keycmp, fmt_key, display_one = M.KEYWORDS, M.is_ident, M.keycmp, M.fmt_key, M.display_one
local G = _G

-- Metatable chains are followed at most this far (a cycle of __index tables must not hang the kernel).
local MAXCHAIN = 16

local function index_lookup(t, k)
  for _ = 1, MAXCHAIN do
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

-- The value of a chain like a.b.c (parts = {"a", "b", "c"}); strbase: the chain starts at a string literal.
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
  for _ = 1, MAXCHAIN do
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
M.complete = function(parts, prefix, sep, strbase)
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

---------------------------------------------------------------- documentation of built-ins
-- Keyed by function value, so this chunk runs after the others have installed their wrappers.
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

---------------------------------------------------------------- inspection
local function describe_function(name, f)
  local lines = {}
  local info = getinfo(f, "Su")
  local d = DOCS[f]
  -- Functions of these prelude chunks are library wrappers, not user code.
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

M.inspect = function(parts, strbase, name, detail)
  local v = resolve(parts, strbase)
  if v == nil then return nil end
  local tv = type(v)
  if tv == "function" then return describe_function(name, v) end
  if tv == "table" then return describe_table(name, v, detail) end
  local s
  if tv == "string" or tv == "number" or tv == "boolean" then s = display_one(v) else s = "<" .. tv .. ">" end
  if tv == "string" and #s > 2000 then s = ssub(s, 1, 2000) .. "..." end
  local lines = {name .. ": " .. tv}
  if tv == "string" then lines[#lines + 1] = sfmt("Length: %d", #v) end
  lines[#lines + 1] = "Value: " .. s
  return tconcat(lines, "\n")
end
