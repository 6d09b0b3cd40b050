using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.Llm;
using LlmSpell.Lua;
using Microsoft.Extensions.AI;

namespace LlmSpell.Scripting;

internal sealed partial class ScriptingLibrary
{
    private JsonObject NewAgent(JsonNode? args)
    {
        var spec = ReadSpec(args as JsonObject ?? []);
        CheckModel(spec.Model);
        foreach (var tool in spec.Tools) _tools.Declaration(tool);
        var agent = new ScriptAgent(NextId("agent"), spec);
        _agents[agent.Id] = agent;
        return new JsonObject { ["id"] = agent.Id };
    }

    private AgentSpec ReadSpec(JsonObject o)
    {
        static string? S(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        static double? D(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out double d) ? d : null;
        int? I(JsonObject o, string key, int min, int max)
        {
            if (D(o, key) is not { } d) return null;
            if (d != Math.Floor(d) || d < min || d > max)
                throw new LuaHostException($"Agent: {key} must be a whole number from {min} to {max}, got {d}");
            return (int)d;
        }

        var tools = new List<string>();
        if (o["tools"] is JsonArray list)
            foreach (var t in list)
                tools.Add(t is JsonValue v && v.TryGetValue(out string? s) ? s : throw new LuaHostException("Agent: tools must be a list of tool names (strings)"));
        else if (o["tools"] is JsonObject { Count: > 0 })
            throw new LuaHostException("Agent: tools must be a list of tool names, like {\"add\", \"calculator\"}");

        var temperature = D(o, "temperature");
        if (temperature is < 0 or > 2)
            throw new LuaHostException($"Agent: temperature must be from 0 to 2, got {temperature}");
        if (S(o, "base_url") is not null && S(o, "api_key") is null)
            throw new LuaHostException("Agent: base_url needs the script's own api_key as well: the configured key is never sent to a URL a script chose");

        return new AgentSpec
        {
            Name = S(o, "name"),
            Model = S(o, "model"),
            SystemPrompt = S(o, "system_prompt"),
            Temperature = temperature,
            MaxTokens = I(o, "max_tokens", 1, 1_000_000),
            Tools = tools,
            MaxToolRounds = I(o, "max_tool_rounds", 0, 100) ?? 5,
            MaxHistory = I(o, "max_history", 0, 10_000) ?? services.Options.MaxHistoryMessages,
            BaseUrl = S(o, "base_url"),
            ApiKey = S(o, "api_key"),
        };
    }

    /// <summary>"provider/model" must name a configured provider; no provider is called to check.</summary>
    private void CheckModel(string? model)
    {
        var names = services.Llm.Options.Providers.Select(p => p.Name).ToList();
        if (model is null)
        {
            var fallback = services.Llm.Options.Providers.FirstOrDefault(p => p.Name == services.Llm.Options.DefaultProvider);
            if (fallback?.DefaultModel is null)
                throw new LuaHostException($"Agent: no model given and provider '{services.Llm.Options.DefaultProvider}' has no default_model; use :model(\"provider/model\")");
            return;
        }
        var slash = model.IndexOf('/');
        if (slash > 0 && !names.Contains(model[..slash], StringComparer.Ordinal))
            throw new LuaHostException($"Agent: unknown provider '{model[..slash]}' in model '{model}'; configured providers: {string.Join(", ", names)} (see [providers] in the configuration)");
    }

    private ScriptAgent AgentOf(JsonNode? args) =>
        _agents.TryGetValue(Str(args, "agent"), out var agent) ? agent : throw new LuaHostException("this agent belongs to another session");

    private string StartAgent(JsonNode? args)
    {
        var agent = AgentOf(args);
        var input = Str(args, "input");
        var stream = args?["stream"] is JsonValue s && s.TryGetValue(out bool b) && b;
        var tools = agent.Spec.Tools.Select(_tools.Declaration).ToList();
        var request = new ChatCallRequest
        {
            Model = agent.Spec.Model,
            BaseUrl = agent.Spec.BaseUrl,
            ApiKey = agent.Spec.ApiKey,
            Messages = agent.MessagesFor(input),
            Temperature = agent.Spec.Temperature,
            MaxTokens = agent.Spec.MaxTokens,
            Tools = tools,
            MaxToolRounds = agent.Spec.MaxToolRounds,
            Stream = stream,
        };
        var context = ToolContext;
        return StartOperation(async op =>
        {
            var callbacks = new AgentCallbacks(op, _tools, context, stream);
            var result = await services.Llm.ChatAsync(request, callbacks, op.Token).ConfigureAwait(false);
            agent.Remember(input, result.NewMessages);
            return AgentResultJson.Of(result);
        });
    }

    private string AgentHistory(JsonNode? args)
    {
        var list = new JsonArray();
        foreach (var m in AgentOf(args).History())
        {
            var entry = new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text };
            var calls = m.Contents.OfType<FunctionCallContent>().Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["id"] = c.CallId }).ToArray();
            if (calls.Length > 0) entry["tool_calls"] = new JsonArray(calls);
            if (m.Contents.OfType<FunctionResultContent>().FirstOrDefault() is { } r)
            {
                entry["tool_call_id"] = r.CallId;
                entry["content"] = r.Result?.ToString();
            }
            list.Add((JsonNode)entry);
        }
        return list.ToJsonString();
    }

    private string? ResetAgent(JsonNode? args)
    {
        AgentOf(args).Reset();
        return null;
    }
}

/// <summary>How an agent call reaches the script: streamed text and tool calls go to the Lua thread as events;
/// built-in tools run right here.</summary>
internal sealed class AgentCallbacks(Operation op, SessionTools tools, LlmSpell.Tools.ToolContext context, bool stream) : IChatCallbacks
{
    public void OnText(string text)
    {
        if (stream && text.Length > 0) op.Post(new JsonObject { ["type"] = "text", ["text"] = text });
    }

    public async Task<ToolOutcome> InvokeToolAsync(string name, string argumentsJson, CancellationToken cancellationToken)
    {
        JsonNode? arguments;
        try
        {
            arguments = string.IsNullOrWhiteSpace(argumentsJson) ? new JsonObject() : JsonNode.Parse(argumentsJson);
        }
        catch (JsonException e)
        {
            return new ToolOutcome(null, $"the arguments are not valid JSON: {e.Message}");
        }
        try
        {
            if (tools.IsDefined(name))
                return new ToolOutcome((await op.RunLuaToolAsync(name, arguments, cancellationToken).ConfigureAwait(false))?.ToJsonString() ?? "null", null);
            if (tools.Builtin(name) is { } builtin)
                return new ToolOutcome(await BuiltinCall.RunAsync(builtin, argumentsJson, context, cancellationToken).ConfigureAwait(false), null);
            return new ToolOutcome(null, $"unknown tool '{name}'");
        }
        catch (Exception e) when (e is ToolHandlerException or LlmSpell.Tools.ToolException)
        {
            return new ToolOutcome(null, e.Message);
        }
    }
}
