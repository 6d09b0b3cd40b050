-- Standard streams: print, io.write and the io.std* files go to the notebook's streams (P.out, P.err),
-- stdin reads ask the front end for a line (P.read). The file functions of io go through the sandbox's path
-- check; io.popen is the sandbox's business.
local P, _, M = ...

local type, tostring, tonumber, select, error, setmetatable, getmetatable, rawequal =
      type, tostring, tonumber, select, error, setmetatable, getmetatable, rawequal
local sfmt, ssub, sgsub = string.format, string.sub, string.gsub
local tconcat, tunpack, tpack = table.concat, table.unpack, table.pack
local mtype = math.type
local io = io
local real_io_open, real_io_lines, real_io_type, real_io_close = io.open, io.lines, io.type, io.close
local p_out, p_err, p_read = P.out, P.err, P.read
local check_abort, checkpath = M.check_abort, M.checkpath

-- The primitives return an error string instead of raising (no Lua error may cross a managed frame).
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

---------------------------------------------------------------- stdout / stderr
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

---------------------------------------------------------------- stdin
-- Every format reads one line from the front end; a reply to an input request is a single line.
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

getmetatable(stdin).__index = {
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

---------------------------------------------------------------- the io library
local function is_std(f) return rawequal(f, stdout) or rawequal(f, stderr) or rawequal(f, stdin) end

-- The current output and input files, as io.output() and io.input() return them.
local current = {output = stdout, input = stdin}
io.stdout, io.stderr, io.stdin = stdout, stderr, stdin
io.write = function(...) return current.output:write(...) end
io.read = function(...) return current.input:read(...) end
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
  if path == nil then return current.input:lines(...) end
  return real_io_lines(checkpath(path, "lines"), ...)
end

-- io.output / io.input: a file name opens that file (through the path check), a file is taken as it is.
local function redirect(kind, mode)
  return function(f)
    if f == nil then return current[kind] end
    if type(f) == "string" then
      local h, e = real_io_open(checkpath(f, kind), mode)
      if not h then error(e, 2) end
      f = h
    end
    current[kind] = f
    return f
  end
end
io.output = redirect("output", "w")
io.input = redirect("input", "r")
io.close = function(f)
  if f == nil then f = current.output end
  if is_std(f) then return nil, "cannot close standard file" end
  return real_io_close(f)
end
