-- Display of values (a cell's result, a non-string error value) and the error handler the session runs
-- cells under. The session calls M.msgh, M.display and M.describe; introspection reuses the formatting.
local _, _, M = ...

local type, tostring, rawget, rawlen, next, ipairs = type, tostring, rawget, rawlen, next, ipairs
local sfmt, ssub, sgsub, smatch, sbyte, sfind = string.format, string.sub, string.gsub, string.match, string.byte, string.find
local tconcat, tsort, tpack = table.concat, table.sort, table.pack
local mtype = math.type
local dgetmetatable, traceback = M.debug.getmetatable, M.debug.traceback
local real_pcall = M.raw_pcall

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

-- A __tostring that fails or returns a non-string must not break the display.
local function safe_tostring(v)
  local ok, s = real_pcall(tostring, v)
  if ok and type(s) == "string" then return s end
  return "<" .. type(v) .. ">"
end

local function has_tostring(v)
  local mt = dgetmetatable(v)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

-- Without metamethods (introspection runs with no limit armed, so no user code may run there): numbers as
-- tostring() prints them, everything else but strings as "type: 0x...".
local function raw_tostring(v)
  local tv = type(v)
  if tv == "string" then return v end
  if tv == "number" then
    if mtype(v) == "integer" then return sfmt("%d", v) end
    local s = sfmt("%.14g", v)
    if not sfind(s, "[^-0-9]") then s = s .. ".0" end
    return s
  end
  if tv == "boolean" then return v and "true" or "false" end
  if tv == "nil" then return "nil" end
  return tv .. ": " .. sfmt("%p", v)
end

local function has_meta_name(v)
  local mt = dgetmetatable(v)
  return type(mt) == "table" and (rawget(mt, "__tostring") ~= nil or rawget(mt, "__name") ~= nil)
end

local MAXDEPTH, MAXITEMS, MAXKEYS, MAXLEN = 4, 100, 1000, 20000

-- The formatting functions over tostr (how a non-table, or a table opaque(v) says not to open, is shown).
-- Tables as constructors (array part, then sorted keys), raw access only.
local function formatter(tostr, opaque)
  -- Total order over mixed keys: numbers, then strings, then booleans, then the rest by type and tostr.
  local ORDER = {number = 1, string = 2, boolean = 3}
  local function keycmp(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then
      local oa, ob = ORDER[ta] or 9, ORDER[tb] or 9
      if oa ~= ob then return oa < ob end
      return ta < tb
    end
    if ta == "number" or ta == "string" then return a < b end
    return tostr(a) < tostr(b)
  end

  local fmt_value
  local function fmt_key(k, seen)
    if is_ident(k) then return k end
    if type(k) == "string" then return "[" .. quote(k) .. "]" end
    if type(k) == "table" then return "[" .. fmt_value(k, MAXDEPTH, seen) .. "]" end
    return "[" .. tostr(k) .. "]"
  end

  fmt_value = function(v, depth, seen)
    local tv = type(v)
    if tv == "string" then return quote(v) end
    if tv ~= "table" or opaque(v) then return tostr(v) end
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
  return {keycmp = keycmp, fmt_key = fmt_key, display_one = display_one}
end

local shown = formatter(safe_tostring, has_tostring)
local display_one = shown.display_one

-- Message handler: captures the traceback before the stack unwinds.
local ERRMARK = {}
M.msgh = function(e)
  local tb = traceback(nil, 2)
  return {[ERRMARK] = true, err = e, tb = tb}
end

-- A value whose metatable has __markdown (a function) also displays as text/markdown (an agent's reply).
local function markdown_of(v)
  local mt = dgetmetatable(v)
  local f = type(mt) == "table" and rawget(mt, "__markdown")
  if type(f) ~= "function" then return nil end
  local ok, md = real_pcall(f, v)
  if ok and type(md) == "string" then return md end
  return nil
end

M.display = function(...)
  local args = tpack(...)
  if args.n == 0 then return nil end
  if args.n == 1 and type(args[1]) == "table" then
    local md = markdown_of(args[1])
    if md then return display_one(args[1]), md end
  end
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
M.describe = function(e)
  if type(e) == "table" and rawget(e, ERRMARK) then
    return errstr(rawget(e, "err")), rawget(e, "tb")
  end
  return errstr(e), nil
end

M.KEYWORDS = KEYWORDS
M.is_ident = is_ident
-- Introspection formats raw.
local raw = formatter(raw_tostring, has_meta_name)
M.keycmp = raw.keycmp
M.fmt_key = raw.fmt_key
M.display_one = raw.display_one
