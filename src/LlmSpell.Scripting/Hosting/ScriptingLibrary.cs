using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.Lua;
using LlmSpell.State;
using LlmSpell.Tools;

namespace LlmSpell.Scripting;

/// <summary>
/// The host side of one Lua session's Agent, Tool, Workflow, State, JSON and ARGS globals. Calls arrive on the
/// session's thread; agent calls and built-in tools run as <see cref="Operation"/>s on the thread pool and talk
/// back through the <see cref="EventQueue"/>.
/// </summary>
internal sealed partial class ScriptingLibrary(ScriptingServices services, string workingDirectory, ScriptArguments arguments) : ILuaHostLibrary
{
    private readonly EventQueue _events = new();
    private readonly ConcurrentDictionary<string, Operation> _operations = new();
    private readonly Dictionary<string, ScriptAgent> _agents = new(StringComparer.Ordinal);
    private readonly SessionTools _tools = new(services.BuiltinTools);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _nextId;

    public string Name => "scripting";
    public string Source => LuaSource.Text;

    private ToolContext ToolContext => new()
    {
        WorkingDirectory = workingDirectory,
        HttpAllowedHosts = services.Options.HttpAllowedHosts,
    };

    public string? Call(string operation, string argumentsJson)
    {
        JsonNode? args;
        try
        {
            args = JsonNode.Parse(argumentsJson);
        }
        catch (JsonException e)
        {
            throw new LuaHostException($"internal error: bad arguments for {operation}: {e.Message}");
        }
        return operation switch
        {
            "wait" => _events.Take(TimeSpan.FromMilliseconds(Math.Clamp((int?)args?["timeout_ms"] ?? 50, 0, 1000))),
            "now" => _clock.ElapsedMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "args" => arguments.ToJson().ToJsonString(),
            "cancel" => Cancel(Str(args, "handle")),
            "tool_result" => ToolResult(args),
            "agent_new" => NewAgent(args).ToJsonString(),
            "agent_start" => StartAgent(args),
            "agent_history" => AgentHistory(args),
            "agent_reset" => ResetAgent(args),
            "tool_define" => DefineTool(args),
            "tool_list" => new JsonArray([.. _tools.Names().Select(n => (JsonNode)n)]).ToJsonString(),
            "tool_get" => _tools.Describe(Str(args, "name"))?.ToJsonString(),
            "tool_start" => StartTool(args),
            "state_save" => SaveState(args),
            "state_load" => Store(s => s.Load(Str(args, "scope"), Str(args, "key"))),
            "state_delete" => Store(s => s.Delete(Str(args, "scope"), Str(args, "key")) ? "true" : "false"),
            "state_list" => Store(s => new JsonArray([.. s.ListKeys(Str(args, "scope")).Select(k => (JsonNode)k)]).ToJsonString()),
            _ => throw new LuaHostException($"internal error: unknown operation {operation}"),
        };
    }

    private static string Str(JsonNode? args, string name) =>
        args?[name] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new LuaHostException($"internal error: missing {name}");

    private string NextId(string prefix) => $"{prefix}{Interlocked.Increment(ref _nextId)}";

    // ------------------------------------------------------------------ operations

    private string StartOperation(Func<Operation, Task<JsonNode?>> work)
    {
        var op = new Operation(NextId("h"), _events);
        _operations[op.Handle] = op;
        _ = Task.Run(async () =>
        {
            JsonObject ev;
            try
            {
                ev = new JsonObject { ["type"] = "done", ["result"] = await work(op).ConfigureAwait(false) };
            }
            catch (OperationCanceledException)
            {
                ev = new JsonObject { ["type"] = "error", ["message"] = "cancelled" };
            }
            catch (Exception e) when (e is Llm.LlmException or ToolException or StateException or LuaHostException)
            {
                ev = new JsonObject { ["type"] = "error", ["message"] = e.Message };
            }
            catch (Exception e)
            {
                ev = new JsonObject { ["type"] = "error", ["message"] = $"internal error: {e.GetType().Name}: {e.Message}" };
            }
            op.Post(ev);
        });
        return new JsonObject { ["handle"] = op.Handle }.ToJsonString();
    }

    private string? Cancel(string handle)
    {
        if (_operations.TryRemove(handle, out var op))
        {
            op.Cancel();
            op.Dispose();
        }
        return null;
    }

    private string? ToolResult(JsonNode? args)
    {
        var handle = Str(args, "handle");
        if (_operations.TryGetValue(handle, out var op))
            op.CompleteTool(Str(args, "call_id"), args?["result"]?.DeepClone(), args?["error"] is JsonValue e && e.TryGetValue(out string? s) ? s : null);
        return null;
    }

    // ------------------------------------------------------------------ tools

    private string? DefineTool(JsonNode? args)
    {
        _tools.Define(Str(args, "name"), args?["description"] is JsonValue d && d.TryGetValue(out string? s) ? s : null, args?["parameters"]?.DeepClone());
        return null;
    }

    private string StartTool(JsonNode? args)
    {
        var name = Str(args, "name");
        if (_tools.Builtin(name) is not { } tool)
            throw new LuaHostException($"unknown tool '{name}'; known tools: {string.Join(", ", _tools.Names())} (define one with Tool.define)");
        var input = args?["args"]?.ToJsonString();
        var context = ToolContext;
        return StartOperation(async op => JsonNode.Parse(await BuiltinCall.RunAsync(tool, input, context, op.Token).ConfigureAwait(false)));
    }

    // ------------------------------------------------------------------ state

    private string? SaveState(JsonNode? args)
    {
        var value = args is JsonObject o && o.TryGetPropertyValue("value", out var v) ? v : null;
        return Store(s =>
        {
            s.Save(Str(args, "scope"), Str(args, "key"), value?.ToJsonString() ?? "null");
            return null;
        });
    }

    private string? Store(Func<IStateStore, string?> action)
    {
        try
        {
            return action(services.State);
        }
        catch (StateException e)
        {
            throw new LuaHostException(e.Message);
        }
    }

    // ------------------------------------------------------------------ end of a cell, end of the session

    public void ExecutionFinished()
    {
        foreach (var handle in _operations.Keys) Cancel(handle);
        _events.Clear();
    }

    public void Dispose() => ExecutionFinished();
}
