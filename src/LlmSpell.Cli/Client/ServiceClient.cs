using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LlmSpell.Cli.Client;

/// <summary>
/// Thin client of a running service's REST API. Connection failures are retried briefly (a service may still be
/// starting) within a bounded total time, then reported as one line naming the address.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = LlmSpell.Server.Api.ApiJson.CreateOptions();
        options.TypeInfoResolverChain.Insert(0, CliJsonContext.Default);
        return options;
    }

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;

    public ServiceClient(Uri baseAddress, string? token = null, HttpMessageHandler? handler = null, TimeSpan? retryBudget = null)
    {
        BaseAddress = baseAddress;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", token);
        _pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(retryBudget ?? TimeSpan.FromSeconds(3))
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(IsConnectFailure),
                MaxRetryAttempts = 4,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
    }

    public Uri BaseAddress { get; }

    /// <summary>The one line printed when the service answers 401: where the token was looked for and how to pass it.</summary>
    public string? UnauthorizedHint { get; init; }

    /// <summary>
    /// The transport for <paramref name="baseAddress"/>: for https, trust <paramref name="caCertPath"/> (a PEM CA or the
    /// service's own certificate) instead of the system store, or skip verification entirely with <paramref name="insecure"/>.
    /// </summary>
    public static HttpMessageHandler CreateHandler(string? caCertPath, bool insecure, bool https = false)
    {
        // The connect timeout includes the TLS handshake, which a cold process on a busy machine can take seconds over.
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(https ? 10 : 2) };
        if (insecure)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (caCertPath is not null)
        {
            var trusted = new X509Certificate2Collection();
            try
            {
                trusted.ImportFromPemFile(caCertPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new UserFacingException($"--ca-cert {caCertPath}: cannot read a PEM certificate ({(e is FileNotFoundException ? "No such file or directory" : e.Message)})", ExitCodes.InvalidConfiguration);
            }
            if (trusted.Count == 0) throw new UserFacingException($"--ca-cert {caCertPath}: no PEM certificate found in the file", ExitCodes.InvalidConfiguration);
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(trusted);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        return handler;
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken ct) =>
        await ReadAsync<T>(await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct), ct);

    /// <summary>healthy, degraded or unhealthy from /health (which answers 503 when unhealthy).</summary>
    public async Task<string> GetHealthAsync(CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/health"), ct);
        try
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return doc.RootElement.TryGetProperty("status", out var s) ? s.GetString() ?? "unknown" : "unknown";
        }
        catch (JsonException)
        {
            return "unknown";
        }
    }

    public async Task<T> PostAsync<T>(string path, CancellationToken ct) =>
        await ReadAsync<T>(await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path), ct), ct);

    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token => await _http.SendAsync(request(), token), ct);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException tls)
        {
            throw new UserFacingException(
                $"The TLS certificate of {BaseAddress.GetLeftPart(UriPartial.Authority)} is not trusted ({tls.InnerException?.Message ?? tls.Message}). Pass --ca-cert PATH (the service's certificate or its CA), or --insecure to skip verification.",
                ExitCodes.Failure);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw NotRunning(e);
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new UserFacingException(UnauthorizedHint ?? "401 Unauthorized: the service requires a token; pass --token or set LLMSPELL_TOKEN.", ExitCodes.Failure);
        }
        return response;
    }

    private UserFacingException NotRunning(Exception e)
    {
        var reason = e is HttpRequestException { InnerException: SocketException socket } ? socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "Connection refused",
            SocketError.TimedOut => "timed out",
            _ => socket.Message,
        } : e is TimeoutRejectedException or TaskCanceledException ? "timed out" : e.Message;
        return new UserFacingException(
            $"No llmspell service is answering at {BaseAddress.GetLeftPart(UriPartial.Authority)} ({reason}). Start one with `llmspell kernel start --port {BaseAddress.Port}`, or pass --port/--url for another service.",
            ExitCodes.NotRunning);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct);
            return (await response.Content.ReadFromJsonAsync(LlmSpell.Server.Api.ApiJson.TypeInfo<T>(Json), ct))!;
        }
    }

    /// <summary>Turns a ProblemDetails (or any error) response into one readable message.</summary>
    public static async Task<UserFacingException> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        string message;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var title = doc.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            message = string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            message = text.Length > 200 ? text[..200] : text;
        }
        var code = response.StatusCode switch
        {
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.UnprocessableEntity => ExitCodes.InvalidConfiguration,
            _ => ExitCodes.Failure,
        };
        return new UserFacingException($"{(int)response.StatusCode} {response.ReasonPhrase}: {message}", code);
    }

    private static bool IsConnectFailure(HttpRequestException e) =>
        e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.TimedOut or SocketError.ConnectionReset };

    public void Dispose() => _http.Dispose();
}
