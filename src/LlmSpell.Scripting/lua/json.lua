JSON = {
  encode = function(value)
    local json, err = encode(value)
    if not json then fail("JSON.encode: " .. err, 2) end
    return json
  end,
  decode = function(text)
    check_type(text, "string", "JSON.decode's argument", 2)
    local value, err = decode(text)
    if err then fail("JSON.decode: " .. err, 2) end
    return value
  end,
}

do
  local a = invoke("args", nil, 1)
  ARGS = {}
  for k, v in pairs(a.named or {}) do ARGS[k] = v end
  for i, v in ipairs(a.positional or {}) do ARGS[i] = v end
  ARGS[0] = a.script
end
