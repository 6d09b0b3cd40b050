-- State.save(scope, key, value) / load / delete / list_keys: persistent across kernel and service restarts.
local function scope_key(scope, key, fn)
  check_type(scope, "string", "State." .. fn .. ": scope", 3)
  check_type(key, "string", "State." .. fn .. ": key", 3)
end

State = {
  save = function(scope, key, value)
    scope_key(scope, key, "save")
    local json, err = encode(value)
    if not json then fail("State.save(" .. scope .. ", " .. key .. "): " .. err, 2) end
    invoke("state_save", {scope = scope, key = key, value = value}, 2)
  end,
  load = function(scope, key)
    scope_key(scope, key, "load")
    return invoke("state_load", {scope = scope, key = key}, 2)
  end,
  delete = function(scope, key)
    scope_key(scope, key, "delete")
    return invoke("state_delete", {scope = scope, key = key}, 2)
  end,
  list_keys = function(scope)
    check_type(scope, "string", "State.list_keys: scope", 2)
    return invoke("state_list", {scope = scope}, 2)
  end,
}
State.get, State.set, State.list = State.load, State.save, State.list_keys
