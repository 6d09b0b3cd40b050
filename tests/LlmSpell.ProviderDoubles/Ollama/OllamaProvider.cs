using System.Globalization;
using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;
using Microsoft.AspNetCore.Http;

namespace LlmSpell.ProviderDoubles.Ollama;

/// <summary>
/// Ollama's native API: NDJSON streams of <c>{"message":...,"done":false}</c> lines closed by a <c>"done":true</c> line with
/// the counters, tool calls with arguments as a JSON object, errors as <c>{"error":"..."}</c>. Real Ollama has no auth;
/// with <see cref="ProviderDouble.RequiredApiKey"/> set the double expects <c>Authorization: Bearer</c>, as ollama.com does.
/// </summary>
internal sealed class OllamaProvider : ChatProvider
{
    /// <summary>The models <c>GET /api/tags</c> lists (chat accepts any model name): name, family, parameter size, bytes.</summary>
    public static readonly (string Name, string Family, string Parameters, long Size)[] Models =
    [
        ("llama3.2:latest", "llama", "3.2B", 2019393189),
        ("qwen3:8b", "qwen3", "8.2B", 5225388164),
    ];

    public override bool IsAuthorized(HttpRequest request, string requiredKey)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header["Bearer ".Length..].Trim() == requiredKey;
    }

    public override ProviderError Unauthorized(HttpRequest request) => new(401, "", "unauthorized");

    public override ProviderError ForStatus(int code, string? message) => new(code, "", message ?? ReasonPhrase(code).ToLowerInvariant());

    public override ProviderError InvalidJson(string detail) => new(400, "", "invalid JSON: " + detail);

    public override ChatTurn Read(HttpRequest request, JsonObject body) => OllamaRequestReader.Read(body);

    public override RenderedReply Render(ChatTurn turn, Reply reply, IdSource ids)
    {
        var createdAt = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var toolCalls = reply.ToolCalls.Count == 0 ? null : new JsonArray(reply.ToolCalls.Select(call => (JsonNode)new JsonObject
        {
            ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = JsonNode.Parse(call.ArgumentsJson) },
        }).ToArray());

        var whole = Final(turn, reply, createdAt, Message(reply.Text, toolCalls?.DeepClone()));
        var lines = new List<string>();
        void Add(JsonObject line) => lines.Add(Json.Write(line) + "\n");
        foreach (var word in reply.TextChunks)
            Add(new JsonObject { ["model"] = turn.Model, ["created_at"] = createdAt, ["message"] = Message(word, null), ["done"] = false });
        if (toolCalls is not null)
            Add(new JsonObject { ["model"] = turn.Model, ["created_at"] = createdAt, ["message"] = Message("", toolCalls), ["done"] = false });
        Add(Final(turn, reply, createdAt, Message("", null)));
        return new RenderedReply(Json.Write(whole), lines);
    }

    private static JsonObject Message(string content, JsonNode? toolCalls)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (toolCalls is not null) message["tool_calls"] = toolCalls;
        return message;
    }

    /// <summary>The closing object: done, done_reason and the counters (durations in nanoseconds, made up from the token counts).</summary>
    private static JsonObject Final(ChatTurn turn, Reply reply, string createdAt, JsonObject message)
    {
        const long LoadNs = 1_000_000;
        var promptNs = 1_000_000L * Math.Max(1, reply.InputTokens);
        var evalNs = 10_000_000L * Math.Max(1, reply.OutputTokens);
        return new JsonObject
        {
            ["model"] = turn.Model,
            ["created_at"] = createdAt,
            ["message"] = message,
            ["done_reason"] = reply.Finish == Finish.Length ? "length" : "stop",
            ["done"] = true,
            ["total_duration"] = LoadNs + promptNs + evalNs,
            ["load_duration"] = LoadNs,
            ["prompt_eval_count"] = reply.InputTokens,
            ["prompt_eval_duration"] = promptNs,
            ["eval_count"] = reply.OutputTokens,
            ["eval_duration"] = evalNs,
        };
    }

    public override string ListModels() => Json.Write(new JsonObject
    {
        ["models"] = new JsonArray(Models.Select(model => (JsonNode)new JsonObject
        {
            ["name"] = model.Name,
            ["model"] = model.Name,
            ["modified_at"] = "2025-06-01T12:00:00.000000000Z",
            ["size"] = model.Size,
            ["digest"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(model.Name))),
            ["details"] = new JsonObject
            {
                ["parent_model"] = "",
                ["format"] = "gguf",
                ["family"] = model.Family,
                ["families"] = new JsonArray(model.Family),
                ["parameter_size"] = model.Parameters,
                ["quantization_level"] = "Q4_K_M",
            },
        }).ToArray()),
    });

    public override string ErrorBody(ProviderError error, HttpResponse response) => Json.Write(new JsonObject { ["error"] = error.Message });

    public override string JsonContentType => "application/json; charset=utf-8";
    public override string StreamContentType => "application/x-ndjson";
    public override string MalformedChunk => "{broken\n";
}
