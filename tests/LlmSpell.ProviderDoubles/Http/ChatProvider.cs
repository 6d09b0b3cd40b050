using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;
using Microsoft.AspNetCore.Http;

namespace LlmSpell.ProviderDoubles;

/// <summary>A reply rendered in one provider's wire format: the whole JSON body, and the stream chunks (each complete, separators included).</summary>
internal sealed record RenderedReply(string JsonBody, IReadOnlyList<string> StreamChunks);

/// <summary>One provider's wire format: authentication, request reading and validation, replies, model list, errors.</summary>
internal abstract class ChatProvider
{
    /// <summary>Whether the request carries <paramref name="requiredKey"/> where this provider expects its API key.</summary>
    public abstract bool IsAuthorized(HttpRequest request, string requiredKey);

    /// <summary>The 401 for a missing or wrong key (never naming the key).</summary>
    public abstract ProviderError Unauthorized(HttpRequest request);

    /// <summary>The error a <see cref="Fault.Status"/> answers with: this provider's error type for the code, its stock message unless given.</summary>
    public abstract ProviderError ForStatus(int code, string? message);

    /// <summary>The 400 for a body that is not a JSON object.</summary>
    public abstract ProviderError InvalidJson(string detail);

    /// <summary>Reads and validates a chat request; throws <see cref="InvalidRequestException"/> where the real API answers 400.</summary>
    public abstract ChatTurn Read(HttpRequest request, JsonObject body);

    public abstract RenderedReply Render(ChatTurn turn, Reply reply, IdSource ids);

    /// <summary>The model list (OpenAI and Anthropic <c>GET /v1/models</c>, Ollama <c>GET /api/tags</c>) in this provider's format.</summary>
    public abstract string ListModels();

    /// <summary>The error body in this provider's format.</summary>
    public abstract string ErrorBody(ProviderError error, HttpResponse response);

    public virtual string JsonContentType => "application/json";
    public virtual string ErrorContentType => JsonContentType;
    public abstract string StreamContentType { get; }
    public abstract string MalformedChunk { get; }

    /// <summary>Headers the provider sets on every answer (request ids).</summary>
    public virtual void AddResponseHeaders(HttpResponse response, IdSource ids) { }

    protected static string ReasonPhrase(int code) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : $"HTTP {code}";
}
