using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Http;

/// <summary>
/// http-requester: HTTP requests to the hosts the configuration allows (none by default, which disables the tool).
/// Redirects are followed by hand so each new location is checked against the allow list; size and time are capped.
/// </summary>
internal sealed class HttpRequesterTool : BuiltinTool
{
    public const int MaxRedirects = 5;

    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each call has its own deadline
    };

    public override string Name => "http-requester";

    public override string Description =>
        "Sends an HTTP request to an allowed host and returns {\"status\", \"ok\", \"url\", \"headers\", \"body\", " +
        "\"body_encoding\" (utf8 or base64), \"json\" (when the response is JSON)}. Non-2xx statuses are results, not errors. " +
        "Only hosts in the configured allow list can be reached; redirects elsewhere are refused.";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "url": { "type": "string", "description": "An http or https URL." },
            "method": { "type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], "description": "Default GET." },
            "headers": { "type": "object", "description": "Request headers, name to string value." },
            "body": { "type": "string", "description": "The request body as text." },
            "json": { "description": "A JSON value to send as the body, with Content-Type application/json (instead of body)." },
            "timeout_seconds": { "type": "number", "minimum": 0.1, "description": "Lower than the configured limit, which it cannot exceed." },
            "follow_redirects": { "type": "boolean", "description": "Default true (to allowed hosts only, at most 5)." }
          },
          "required": ["url"],
          "additionalProperties": false
        }
        """;

    protected override async Task<JsonObject> RunAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var allowed = new HostAllowList(context.HttpAllowedHosts);
        if (allowed.IsEmpty)
            throw arguments.Error("HTTP requests are disabled: no host is allowed. Add the hosts this tool may reach to the allowed HTTP hosts in the configuration.");

        var uri = CheckedUri(arguments, arguments.RequireString("url"), allowed, context);
        var request = OutgoingRequest.From(arguments);
        var timeout = RequestTimeout(arguments, context);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await SendAsync(arguments, request, uri, allowed, context, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw arguments.Error($"the request to {uri.Host} timed out after {timeout.TotalSeconds:0.#} s; try again, or ask for less.");
        }
        catch (HttpRequestException e)
        {
            throw arguments.Error($"the request to {uri.Host} failed: {e.Message}");
        }
    }

    private static async Task<JsonObject> SendAsync(ToolArguments arguments, OutgoingRequest request, Uri uri, HostAllowList allowed,
        ToolContext context, CancellationToken cancellationToken)
    {
        var followRedirects = arguments.Boolean("follow_redirects", true);
        for (var redirects = 0; ; redirects++)
        {
            using var message = request.ToMessage(uri);
            using var response = await Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!followRedirects || !IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
                return await ResponseReader.ReadAsync(arguments, response, uri, context.MaxHttpResponseBytes, cancellationToken);

            if (redirects == MaxRedirects) throw arguments.Error($"more than {MaxRedirects} redirects, starting at {arguments.RequireString("url")}.");
            var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (next.Scheme is not ("http" or "https"))
                throw arguments.Error($"{uri.Host} redirected to '{next}', which is not an http or https URL.");
            if (!allowed.Allows(next))
                throw arguments.Error($"{uri.Host} redirected to {next.Host}, which is not an allowed host; request it directly if it should be allowed.");
            request = request.Redirected(response.StatusCode);
            uri = next;
        }
    }

    private static Uri CheckedUri(ToolArguments arguments, string url, HostAllowList allowed, ToolContext context)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw arguments.Error($"'{url}' is not an absolute http or https URL.");
        if (!allowed.Allows(uri))
            throw arguments.Error(
                $"the host '{uri.Host}' is not allowed (allowed: {string.Join(", ", context.HttpAllowedHosts)}); add it to the allowed HTTP hosts to reach it.");
        return uri;
    }

    private static TimeSpan RequestTimeout(ToolArguments arguments, ToolContext context)
    {
        var limit = context.HttpTimeout;
        return arguments.OptionalNumber("timeout_seconds") is { } seconds && TimeSpan.FromSeconds(seconds) < limit
            ? TimeSpan.FromSeconds(seconds)
            : limit;
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    /// <summary>What to send, kept so a redirect can send it again (307, 308) or as a GET without a body (303, and 301/302 after POST).</summary>
    private sealed record OutgoingRequest(HttpMethod Method, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? ContentType)
    {
        public static OutgoingRequest From(ToolArguments arguments)
        {
            var method = new HttpMethod(arguments.String("method", "GET"));
            var headers = new List<KeyValuePair<string, string>>();
            string? contentType = null;
            if (arguments.Find("headers") is { } given)
                foreach (var header in given.EnumerateObject())
                {
                    if (header.Value.ValueKind != JsonValueKind.String)
                        throw arguments.Error($"header '{header.Name}' must be a string, got {JsonTypes.Describe(header.Value)}.");
                    if (header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                        throw arguments.Error("the Host header cannot be set; it comes from the URL.");
                    if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = header.Value.GetString();
                    else headers.Add(new(header.Name, header.Value.GetString()!));
                }

            if (arguments.Has("body") && arguments.Has("json")) throw arguments.Error("give body or json, not both.");
            byte[]? body = null;
            if (arguments.OptionalString("body") is { } text) body = System.Text.Encoding.UTF8.GetBytes(text);
            else if (arguments.Find("json") is { } json)
            {
                body = System.Text.Encoding.UTF8.GetBytes(json.GetRawText());
                contentType ??= "application/json";
            }
            if (body is not null) contentType ??= "text/plain; charset=utf-8";
            return new OutgoingRequest(method, headers, body, contentType).Validated(arguments);
        }

        public HttpRequestMessage ToMessage(Uri uri)
        {
            var message = new HttpRequestMessage(Method, uri);
            foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
            if (!message.Headers.Contains("User-Agent")) message.Headers.TryAddWithoutValidation("User-Agent", "llmspell-http-requester");
            if (Body is not null)
            {
                message.Content = new ByteArrayContent(Body);
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
            return message;
        }

        public OutgoingRequest Redirected(HttpStatusCode status) =>
            (int)status is 307 or 308 || ((int)status is 301 or 302 && Method != HttpMethod.Post)
                ? this
                : this with { Method = Method == HttpMethod.Head ? HttpMethod.Head : HttpMethod.Get, Body = null, ContentType = null };

        private OutgoingRequest Validated(ToolArguments arguments)
        {
            using var probe = new HttpRequestMessage();
            foreach (var (name, value) in Headers)
                if (!probe.Headers.TryAddWithoutValidation(name, value))
                    throw arguments.Error($"header '{name}' cannot be set on a request (it is a content header other than Content-Type, or not a valid name).");
            return this;
        }
    }
}
