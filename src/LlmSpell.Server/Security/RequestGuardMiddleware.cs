using LlmSpell.Server.Config;
using Microsoft.AspNetCore.Http.Features;

namespace LlmSpell.Server.Security;

/// <summary>
/// Rejects, before anything else runs: a Host header that does not name this service (400), an Origin that is not
/// allowed (403) and a declared body larger than max_message_size_mb (413). The health probes are exempt from the
/// Host and Origin checks (they carry no secrets and probes may use any name).
/// </summary>
public sealed partial class RequestGuardMiddleware(RequestDelegate next, ConfigStore config, OriginPolicyProvider origins,
    IProblemDetailsService problems, ILogger<RequestGuardMiddleware> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var policy = origins.Current;
        var probe = context.Request.Path.StartsWithSegments("/health");
        string? host = null;
        if (!probe && !TryReadHost(context.Request, out host))
        {
            string raw = context.Request.Headers.Host.ToString();
            Log.HostInvalid(log, raw, context.Connection.RemoteIpAddress);
            await SecurityProblems.WriteAsync(problems, context, StatusCodes.Status400BadRequest, "Invalid Host header",
                $"The Host header \"{raw}\" is not a valid host name (malformed internationalized \"xn--\" label).");
            return;
        }
        if (!probe && !policy.IsHostAllowed(host!))
        {
            Log.HostRejected(log, host!, context.Connection.RemoteIpAddress);
            await SecurityProblems.WriteAsync(problems, context, StatusCodes.Status400BadRequest, "Host not allowed",
                "The Host header does not name this service. Use an IP address or localhost, or add the name to security.allowed_origins.");
            return;
        }
        string? origin = context.Request.Headers.Origin;
        if (!probe && !string.IsNullOrEmpty(origin) && !policy.IsOriginAllowed(origin) && !IsSameOrigin(context, origin))
        {
            Log.OriginRejected(log, origin, context.Connection.RemoteIpAddress);
            await SecurityProblems.WriteAsync(problems, context, StatusCodes.Status403Forbidden, "Origin not allowed",
                "Requests from this web origin are not allowed. An operator can add it to security.allowed_origins.");
            return;
        }
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? config.Options.Security.MaxMessageSizeMb * 1024L * 1024L;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            await TooLarge(context, limit);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await TooLarge(context, limit);
        }
    }

    private Task TooLarge(HttpContext context, long limit)
    {
        context.Response.Headers.Connection = "close";
        return SecurityProblems.WriteAsync(problems, context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"Request bodies are limited to {limit / (1024 * 1024)} MB (security.max_message_size_mb).");
    }

    // HttpRequest.Host decodes "xn--" labels with IdnMapping, which throws on malformed punycode ("xn--localhost-").
    private static bool TryReadHost(HttpRequest request, out string host)
    {
        try
        {
            host = request.Host.Host;
            return true;
        }
        catch (ArgumentException)
        {
            host = "";
            return false;
        }
    }

    private static bool IsSameOrigin(HttpContext context, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, context.Request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Rejected a request for host {Host} from {Remote}: not an allowed host (DNS rebinding?)")]
        public static partial void HostRejected(ILogger logger, string host, System.Net.IPAddress? remote);

        [LoggerMessage(EventId = 2413, Level = LogLevel.Warning, Message = "Rejected a request with the malformed Host header {Host} from {Remote}")]
        public static partial void HostInvalid(ILogger logger, string host, System.Net.IPAddress? remote);

        [LoggerMessage(EventId = 2411, Level = LogLevel.Warning, Message = "Rejected a request with Origin {Origin} from {Remote}: not in security.allowed_origins")]
        public static partial void OriginRejected(ILogger logger, string? origin, System.Net.IPAddress? remote);
    }
}
