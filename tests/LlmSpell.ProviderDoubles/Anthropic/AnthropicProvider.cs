using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;
using Microsoft.AspNetCore.Http;

namespace LlmSpell.ProviderDoubles.Anthropic;

/// <summary>
/// Anthropic Messages: <c>x-api-key</c> (or <c>Authorization: Bearer</c>), a required <c>anthropic-version</c> header, errors as
/// <c>{"type":"error","error":{"type","message"},"request_id"}</c>, SSE streams of named events.
/// </summary>
internal sealed class AnthropicProvider : ChatProvider
{
    /// <summary>The models <c>GET /v1/models</c> lists (chat accepts any model name): id, display name, release date.</summary>
    public static readonly (string Id, string DisplayName, string CreatedAt)[] Models =
    [
        ("claude-opus-4-6", "Claude Opus 4.6", "2026-02-05T00:00:00Z"),
        ("claude-sonnet-4-6", "Claude Sonnet 4.6", "2026-02-17T00:00:00Z"),
        ("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z"),
    ];

    // The classic header is x-api-key; SDK 1.x (API version 2026-10-21) sends the same key as Authorization: Bearer.
    public override bool IsAuthorized(HttpRequest request, string requiredKey) =>
        request.Headers.TryGetValue("x-api-key", out var key) ? key.ToString() == requiredKey : BearerToken(request) == requiredKey;

    public override ProviderError Unauthorized(HttpRequest request) =>
        request.Headers.ContainsKey("x-api-key") ? new(401, "authentication_error", "invalid x-api-key")
        : BearerToken(request) is not null ? new(401, "authentication_error", "Invalid bearer token")
        : new(401, "authentication_error", "x-api-key header is required");

    public override ProviderError ForStatus(int code, string? message)
    {
        var (type, stock) = code switch
        {
            400 => ("invalid_request_error", "Invalid request"),
            401 => ("authentication_error", "invalid x-api-key"),
            402 => ("billing_error", "Your credit balance is too low to access the Anthropic API."),
            403 => ("permission_error", "Your API key does not have permission to use the specified resource."),
            404 => ("not_found_error", "Not Found"),
            413 => ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
            429 => ("rate_limit_error", "This request would exceed the rate limit for your organization. Please try again later."),
            504 => ("timeout_error", "Request timed out"),
            529 => ("overloaded_error", "Overloaded"),
            >= 500 => ("api_error", "Internal server error"),
            _ => ("invalid_request_error", ReasonPhrase(code)),
        };
        return new(code, type, message ?? stock);
    }

    public override ProviderError InvalidJson(string detail) => new(400, "invalid_request_error", "The request body is not valid JSON: " + detail);

    public override ChatTurn Read(HttpRequest request, JsonObject body) => AnthropicRequestReader.Read(request, body);

    public override RenderedReply Render(ChatTurn turn, Reply reply, IdSource ids) => AnthropicReplyRenderer.Render(turn, reply, ids);

    public override string ListModels() => Json.Write(new JsonObject
    {
        ["data"] = new JsonArray(Models.Select(model => (JsonNode)new JsonObject
        {
            ["type"] = "model",
            ["id"] = model.Id,
            ["display_name"] = model.DisplayName,
            ["created_at"] = model.CreatedAt,
        }).ToArray()),
        ["has_more"] = false,
        ["first_id"] = Models[0].Id,
        ["last_id"] = Models[^1].Id,
    });

    public override string ErrorBody(ProviderError error, HttpResponse response) => Json.Write(new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = error.Type, ["message"] = error.Message },
        ["request_id"] = response.Headers["request-id"].ToString(),
    });

    public override string StreamContentType => "text/event-stream; charset=utf-8";
    public override string MalformedChunk => "event: message_start\ndata: {not json\n\n";

    public override void AddResponseHeaders(HttpResponse response, IdSource ids) => response.Headers["request-id"] = ids.Next("req_");

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
