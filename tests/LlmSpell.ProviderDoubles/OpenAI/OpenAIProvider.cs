using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;
using Microsoft.AspNetCore.Http;

namespace LlmSpell.ProviderDoubles.OpenAI;

/// <summary>
/// OpenAI chat completions: <c>Authorization: Bearer KEY</c>, errors as
/// <c>{"error":{"message","type","param","code"}}</c>, SSE streams of <c>data: {chunk}</c> ending in <c>data: [DONE]</c>.
/// </summary>
internal sealed class OpenAIProvider : ChatProvider
{
    /// <summary>The models <c>GET /v1/models</c> lists (chat accepts any model name).</summary>
    public static readonly string[] Models = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini"];

    public override bool IsAuthorized(HttpRequest request, string requiredKey) => BearerToken(request) == requiredKey;

    public override ProviderError Unauthorized(HttpRequest request) => BearerToken(request) is null
        ? new(401, "invalid_request_error",
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
        : new(401, "invalid_request_error", "Incorrect API key provided.", null, "invalid_api_key");

    public override ProviderError ForStatus(int code, string? message) => code switch
    {
        401 => new(code, "invalid_request_error", message ?? "Incorrect API key provided.", null, "invalid_api_key"),
        429 => new(code, "requests", message ?? "Rate limit reached for requests. Please try again later.", null, "rate_limit_exceeded"),
        503 => new(code, "server_error", message ?? "The engine is currently overloaded, please try again later."),
        >= 500 => new(code, "server_error", message ?? "The server had an error while processing your request. Sorry about that!"),
        _ => new(code, "invalid_request_error", message ?? ReasonPhrase(code)),
    };

    public override ProviderError InvalidJson(string detail) => new(400, "invalid_request_error",
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
        "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");

    public override ChatTurn Read(HttpRequest request, JsonObject body) => OpenAIRequestReader.Read(body);

    public override RenderedReply Render(ChatTurn turn, Reply reply, IdSource ids) => OpenAIReplyRenderer.Render(turn, reply, ids);

    public override string ListModels() => Json.Write(new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray(Models.Select(id => (JsonNode)new JsonObject
        {
            ["id"] = id,
            ["object"] = "model",
            ["created"] = 1721172741,
            ["owned_by"] = "system",
        }).ToArray()),
    });

    public override string ErrorBody(ProviderError error, HttpResponse response) => Json.Write(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = error.Message,
            ["type"] = error.Type,
            ["param"] = error.Param,
            ["code"] = error.Code,
        },
    });

    public override string StreamContentType => "text/event-stream; charset=utf-8";
    public override string MalformedChunk => "data: {not json\n\n";

    public override void AddResponseHeaders(HttpResponse response, IdSource ids) => response.Headers["x-request-id"] = ids.Next("req_");

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
