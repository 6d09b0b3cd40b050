-- Tool.define{name=, description=, parameters=<JSON schema>, handler=function(args) ... end}
Tool = {
  define = function(spec)
    check_type(spec, "table", "Tool.define's argument", 2)
    check_type(spec.name, "string", "Tool.define: name", 2)
    check_type(spec.handler, "function", "Tool.define: handler", 2)
    invoke("tool_define", {name = spec.name, description = spec.description, parameters = spec.parameters}, 2)
    lua_tools[spec.name] = spec.handler
    return spec.name
  end,
  list = function() return invoke("tool_list", nil, 2) end,
  get = function(name)
    check_type(name, "string", "Tool.get's name", 2)
    return invoke("tool_get", {name = name}, 2)
  end,
  execute = function(name, args)
    check_type(name, "string", "Tool.execute's name", 2)
    local handler = lua_tools[name]
    if handler then return handler(args or {}) end
    return await(start("tool_start", {name = name, args = args or {}}, nil, 2))
  end,
}
Tool.register = Tool.define
