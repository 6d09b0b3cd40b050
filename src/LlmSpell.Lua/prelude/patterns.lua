-- string.find, match, gmatch and gsub over the managed matcher (P.pmatch, P.pfind) with Lua 5.4's semantics.
-- The C matcher cannot be stopped (hooks do not run inside it), so a backtracking pattern would outlive
-- interrupts, time and instruction limits; the managed one counts its steps against them.
local P, opts, M = ...

local type, select, error, tonumber, rawget = type, select, error, tonumber, rawget
local sfmt, ssub, sbyte, c_find = string.format, string.sub, string.byte, string.find
local tointeger, mathtype = math.tointeger, math.type
local concat, unpack = table.concat, table.unpack
local dgetinfo, dgetmetatable = debug.getinfo, debug.getmetatable
local pmatch, pfind = P.pmatch, P.pfind

-- Receives the captures of the last match; read before any user code runs, so one table serves every call.
local caps = {}

-- Raises at the given level; an abort is raised like the count hook raises it.
local function raise(msg, abort, level)
  if abort then error(msg, 0) end
  error(msg, level)
end

local function typename(v, present)
  if not present then return "no value" end
  local mt = dgetmetatable(v)
  local name = mt and rawget(mt, "__name")
  if type(name) == "string" then return name end
  return type(v)
end

-- Like luaL_argerror, called from a checker called by the string function: level 3 is that function.
local function argerror(fname, i, extra)
  local ar = dgetinfo(3, "n")
  if ar and ar.namewhat == "method" then
    i = i - 1
    if i == 0 then error(sfmt("calling '%s' on bad self (%s)", ar.name, extra), 4) end
  end
  error(sfmt("bad argument #%d to '%s' (%s)", i, ar and ar.name or "string." .. fname, extra), 4)
end

local function checkstr(v, i, n, fname)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then return v .. "" end
  argerror(fname, i, sfmt("string expected, got %s", typename(v, i <= n)))
end

local function checkint(v, i, n, fname, default)
  if v == nil then return default end
  if mathtype(v) == "integer" then return v end
  local num = v
  if type(v) == "string" then num = tonumber(v) end
  if type(num) ~= "number" then argerror(fname, i, sfmt("number expected, got %s", typename(v, i <= n))) end
  local int = tointeger(num)
  if not int then argerror(fname, i, "number has no integer representation") end
  return int
end

local function checkrepl(v, n)
  local t = type(v)
  if t == "string" or t == "number" or t == "function" or t == "table" then return t end
  argerror("gsub", 3, sfmt("string/function/table expected, got %s", typename(v, 3 <= n)))
end

local function posrelat(pos, len)
  if pos > 0 then return pos end
  if pos == 0 or pos < -len then return 1 end
  return len + pos + 1
end

local function nospecials(p) return not c_find(p, "[%^%$%*%+%?%.%(%[%%%-]") end

string.find = function(...)
  local n = select("#", ...)
  local s, p, init, plain = ...
  s, p = checkstr(s, 1, n, "find"), checkstr(p, 2, n, "find")
  init = posrelat(checkint(init, 3, n, "find", 1), #s)
  if init > #s + 1 then return nil end
  if plain or nospecials(p) then
    local q, e, abort = pfind(s, p, init)
    if q == nil then
      if e ~= nil then raise(e, abort, 3) end
      return nil
    end
    return q, e
  end
  local q, e, nc, unfinished = pmatch(s, p, init, true, caps)
  if q == nil then
    if e ~= nil then raise(e, nc, 3) end
    return nil
  end
  if unfinished then raise("unfinished capture", nil, 3) end
  return q, e, unpack(caps, 1, nc)
end

string.match = function(...)
  local n = select("#", ...)
  local s, p, init = ...
  s, p = checkstr(s, 1, n, "match"), checkstr(p, 2, n, "match")
  init = posrelat(checkint(init, 3, n, "match", 1), #s)
  if init > #s + 1 then return nil end
  local q, e, nc, unfinished = pmatch(s, p, init, true, caps)
  if q == nil then
    if e ~= nil then raise(e, nc, 3) end
    return nil
  end
  if unfinished then raise("unfinished capture", nil, 3) end
  if nc == 0 then return ssub(s, q, e) end
  return unpack(caps, 1, nc)
end

-- A '^' does not anchor gmatch (it would stop the iteration): the matcher takes it literally.
string.gmatch = function(...)
  local n = select("#", ...)
  local s, p, init = ...
  s, p = checkstr(s, 1, n, "gmatch"), checkstr(p, 2, n, "gmatch")
  local len = #s
  local src = posrelat(checkint(init, 3, n, "gmatch", 1), len)
  local lastmatch
  return function()
    while src <= len + 1 do
      local q, e, nc, unfinished = pmatch(s, p, src, false, caps)
      if q == nil then
        if e ~= nil then raise(e, nc, 3) end
        src = len + 2
        return
      end
      -- An empty match where the last one ended is skipped (Lua 5.4's lastmatch rule).
      if e == lastmatch then
        src = q + 1
      else
        src, lastmatch = e + 1, e
        if unfinished then raise("unfinished capture", nil, 3) end
        if nc == 0 then return ssub(s, q, e) end
        return unpack(caps, 1, nc)
      end
    end
  end
end

-- A replacement string as pieces: literal text, capture numbers 0-9, or false for an invalid '%'.
local function compile(r)
  local out, k, i = {}, 0, 1
  while true do
    local j = c_find(r, "%", i, true)
    if not j then break end
    if j > i then k = k + 1; out[k] = ssub(r, i, j - 1) end
    local c = sbyte(r, j + 1)
    k = k + 1
    if c == 37 then out[k] = "%"
    elseif c and c >= 48 and c <= 57 then out[k] = c - 48
    else out[k] = false end
    i = j + 2
  end
  if i <= #r then k = k + 1; out[k] = ssub(r, i) end
  return out, k
end

-- Errors are raised at gsub's caller: level 4 from here.
local function expand(pieces, k, s, q, e, nc)
  local out = {}
  for i = 1, k do
    local v = pieces[i]
    if v == false then raise("invalid use of '%' in replacement string", nil, 4) end
    if v == 0 then
      v = ssub(s, q, e)
    elseif type(v) == "number" then
      if v > nc then
        if v ~= 1 then raise(sfmt("invalid capture index %%%d", v), nil, 4) end
        v = ssub(s, q, e)
      else
        v = caps[v]
        if v == false then raise("unfinished capture", nil, 4) end
      end
    end
    out[i] = v
  end
  return concat(out, "", 1, k)
end

string.gsub = function(...)
  local n = select("#", ...)
  local s, p, repl, max_n = ...
  s = checkstr(s, 1, n, "gsub")
  p = checkstr(p, 2, n, "gsub")
  local len = #s
  local tr = type(repl)
  max_n = checkint(max_n, 4, n, "gsub", len + 1)
  checkrepl(repl, n)
  local pieces, k, literal
  if tr == "string" or tr == "number" then
    pieces, k = compile(repl .. "")
    literal = k == 0 and "" or k == 1 and type(pieces[1]) == "string" and pieces[1]
  end
  local anchor = sbyte(p, 1) == 94
  local parts, np = {}, 0
  local src, copied, lastmatch, count, changed = 1, 1, nil, 0, false
  while count < max_n do
    local q, e, nc, unfinished = pmatch(s, p, src, true, caps)
    if q == nil then
      if e ~= nil then raise(e, nc, 3) end
      break
    end
    if e == lastmatch then
      if src > len then break end
      src = src + 1
    else
      count = count + 1
      local v
      if literal then
        v = literal
      elseif pieces then
        v = expand(pieces, k, s, q, e, nc)
      else
        if tr == "table" then
          local key = caps[1]
          if nc == 0 then key = ssub(s, q, e) elseif key == false then raise("unfinished capture", nil, 3) end
          v = repl[key]
        else
          if unfinished then raise("unfinished capture", nil, 3) end
          if nc == 0 then v = repl(ssub(s, q, e)) else v = repl(unpack(caps, 1, nc)) end
        end
        if not v then
          v = ssub(s, q, e)
        elseif type(v) ~= "string" and type(v) ~= "number" then
          raise(sfmt("invalid replacement value (a %s)", type(v)), nil, 3)
        else
          changed = true
        end
      end
      if pieces then changed = true end
      parts[np + 1], parts[np + 2] = ssub(s, copied, q - 1), v
      np = np + 2
      src, copied, lastmatch = e + 1, e + 1, e
    end
    if anchor then break end
  end
  if not changed then return s, count end
  parts[np + 1] = ssub(s, copied)
  return concat(parts), count
end
