namespace LlmSpell.Scripting.Tests;

/// <summary>JSON, ARGS, Tool and State from Lua, without a model.</summary>
public sealed class LuaGlobalsTests
{
    [Fact]
    public async Task JsonRoundTripsValuesAndRefusesWhatJsonCannotHold()
    {
        await using var h = await ScriptHarness.StartAsync();
        Assert.Equal("true", h.Value("""local t = JSON.decode(JSON.encode({a = 1, b = {true, "x", 2.5}, c = {}})) return t.a == 1 and t.b[2] == "x" and t.b[3] == 2.5 and type(t.c) == "table" """));
        Assert.Equal("[1,2,3]", h.Value("JSON.encode({1, 2, 3})"));
        Assert.Equal("{\"k\":\"v\"}", h.Value("JSON.encode({k = 'v'})"));
        Assert.Contains("function at value.f", h.Error("JSON.encode({f = print})"));
        Assert.Contains("cycle", h.Error("local t = {} t.self = t return JSON.encode(t)"));
        Assert.Contains("invalid JSON", h.Error("JSON.decode('{\"a\":')"));
    }

    [Fact]
    public async Task ArgsHoldScriptPositionalsAndNamedValues()
    {
        await using var h = await ScriptHarness.StartAsync(args: ScriptArguments.Parse("job.lua", ["in.txt", "--mode", "fast", "out.txt", "--dry"]));
        Assert.Equal("job.lua in.txt out.txt fast true", h.Value("ARGS[0] .. ' ' .. ARGS[1] .. ' ' .. ARGS[2] .. ' ' .. ARGS.mode .. ' ' .. ARGS.dry"));
    }

    [Fact]
    public async Task DefinedToolsRunTheirLuaHandlerAndBuiltinsAreListed()
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("""
            Tool.define({ name = "add", description = "Add two numbers",
              parameters = { type = "object", properties = { a = {type = "number"}, b = {type = "number"} }, required = {"a", "b"} },
              handler = function(args) return args.a + args.b end })
            """);
        Assert.Equal("3", h.Value("Tool.execute('add', {a = 1, b = 2})"));
        Assert.Equal("Add two numbers", h.Value("Tool.get('add').description"));
        var list = h.Value("table.concat(Tool.list(), ',')")!;
        Assert.Contains("add", list.Split(','));
        Assert.Contains("calculator", list.Split(','));
        Assert.Equal("5", h.Value("Tool.execute('calculator', {expression = '2+3'}).result"));
    }

    [Fact]
    public async Task BadToolSchemasNameTheField()
    {
        await using var h = await ScriptHarness.StartAsync();
        Assert.Contains("parameters.properties.a.type", h.Error("""Tool.define({name = "t", handler = function() end, parameters = {type = "object", properties = {a = {type = "numbr"}}}})"""));
        Assert.Contains("parameters.required", h.Error("""Tool.define({name = "t", handler = function() end, parameters = {type = "object", properties = {a = {type = "number"}}, required = {"b"}}})"""));
        Assert.Contains("handler", h.Error("""Tool.define({name = "t"})"""));
        Assert.Contains("unknown tool 'nope'", h.Error("Tool.execute('nope', {})"));
    }

    [Fact]
    public async Task StateSavesLoadsListsAndDeletes()
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("State.save('global', 'b', {a = 1, list = {1, 2}}) State.save('global', 'a', 'x')");
        Assert.Equal("2", h.Value("State.load('global', 'b').list[2]"));
        Assert.Equal("a,b", h.Value("table.concat(State.list_keys('global'), ',')"));
        Assert.Equal("nil", h.Value("tostring(State.load('other', 'a'))"));
        h.Value("State.delete('global', 'a')");
        Assert.Equal("b", h.Value("table.concat(State.list_keys('global'), ',')"));
        Assert.Contains("cannot encode a function", h.Error("State.save('global', 'f', {f = print})"));
    }

    [Fact]
    public async Task SequentialWorkflowPassesOutputsAndStopsOrContinuesOnError()
    {
        await using var h = await ScriptHarness.StartAsync();
        Assert.Equal("ok hi!", h.Value("""
            local wf = Workflow.builder():name("w")
              :add_step({ name = "a", fn = function(ctx) return ctx.input.word end })
              :add_step({ name = "b", fn = function(ctx) return ctx.outputs.a .. "!" end })
              :build()
            local r = wf:execute({word = "hi"})
            return r.status .. " " .. r.outputs.b
            """));
        Assert.Equal("error boom nil 3", h.Value("""
            local function run(mode)
              return Workflow.builder():on_error(mode)
                :add_step({ name = "a", fn = function() error("boom", 0) end })
                :add_step({ name = "b", fn = function() return 3 end }):build():execute()
            end
            local stop, go = run("stop"), run("continue")
            return stop.status .. " " .. stop.errors.a .. " " .. tostring(stop.outputs.b) .. " " .. go.outputs.b
            """));
        Assert.Contains("fn steps run only in sequential", h.Error("Workflow.builder():parallel():add_step({fn = function() end}):build()"));
    }
}
