using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Anthropic;
using LlmSpell.ProviderDoubles.Conversation;
using LlmSpell.ProviderDoubles.Ollama;
using LlmSpell.ProviderDoubles.OpenAI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSpell.ProviderDoubles;

/// <summary>
/// An in-process stand-in for the LLM providers on loopback Kestrel, speaking their public wire formats: OpenAI chat
/// completions (<c>POST /v1/chat/completions</c>, <c>GET /v1/models</c>), Anthropic Messages (<c>POST /v1/messages</c>,
/// <c>GET /v1/models</c> with an <c>anthropic-version</c> header) and Ollama (<c>POST /api/chat</c>, <c>GET /api/tags</c>).
/// Replies are deterministic (see <see cref="Conversation.ReplyPlanner"/>: <c>[[call NAME {json}]]</c>,
/// <c>[[reply TEXT]]</c>, <c>[[sleep MS]]</c>, <c>[[slow MS]]</c> directives in the last user message, otherwise
/// "echo: TEXT" or "tool results: r1; r2"); failures are scripted with <see cref="Enqueue"/>.
/// </summary>
public sealed class ProviderDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IdSource _ids = new();
    private readonly Queue<Fault> _faults = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly OpenAIProvider _openAI = new();
    private readonly AnthropicProvider _anthropic = new();
    private readonly OllamaProvider _ollama = new();
    private int _inFlight;
    private int _peakConcurrency;
    private long _latencyTicks;
    private long _chunkDelayTicks;

    private ProviderDouble(WebApplication app)
    {
        _app = app;
        BaseUrl = "";
    }

    /// <summary>Starts a double on 127.0.0.1 at a free port.</summary>
    public static async Task<ProviderDouble> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var provider = new ProviderDouble(app);
        app.Run(provider.DispatchAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider.BaseUrl = address.TrimEnd('/');
        return provider;
    }

    /// <summary>"http://127.0.0.1:PORT", no trailing slash: an Anthropic client's base URL and an Ollama client's host.</summary>
    public string BaseUrl { get; private set; }

    /// <summary>What an OpenAI client's base URL is: <see cref="BaseUrl"/> + "/v1".</summary>
    public string OpenAIBaseUrl => BaseUrl + "/v1";

    /// <summary>Waited before the first byte of every response.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Waited between stream chunks.</summary>
    public TimeSpan ChunkDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _chunkDelayTicks));
        set => Interlocked.Exchange(ref _chunkDelayTicks, value.Ticks);
    }

    /// <summary>
    /// When set, requests must carry this key (OpenAI and Ollama: <c>Authorization: Bearer</c>; Anthropic: <c>x-api-key</c>),
    /// else they get a 401 in that provider's format. Null (the default): no key is checked.
    /// </summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>Queues a fault for the next chat request that passes authentication and validation (FIFO, any provider).</summary>
    public void Enqueue(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_faults) _faults.Enqueue(fault);
    }

    /// <summary>A snapshot of every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    /// <summary>The highest number of chat requests that were in flight at once.</summary>
    public int PeakConcurrency => Volatile.Read(ref _peakConcurrency);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task DispatchAsync(HttpContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            var body = await RecordAsync(context.Request, cancel.Token);
            var request = context.Request;
            switch (request.Method, request.Path.Value)
            {
                case ("POST", "/v1/chat/completions"): await ChatAsync(context, _openAI, body, cancel.Token); break;
                case ("POST", "/v1/messages"): await ChatAsync(context, _anthropic, body, cancel.Token); break;
                case ("POST", "/api/chat"): await ChatAsync(context, _ollama, body, cancel.Token); break;
                case ("GET", "/v1/models"):
                    await ListAsync(context, request.Headers.ContainsKey("anthropic-version") ? _anthropic : _openAI, cancel.Token);
                    break;
                case ("GET", "/api/tags"): await ListAsync(context, _ollama, cancel.Token); break;
                default: await NotFoundAsync(context, cancel.Token); break;
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client went away or the double is stopping: no answer, and never an empty 200 or a cut stream ending cleanly.
            context.Abort();
        }
    }

    private async Task<string> RecordAsync(HttpRequest request, CancellationToken cancel)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancel);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers) headers[name] = values.ToString();
        lock (_requests) _requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "", headers, body));
        return body;
    }

    private async Task ChatAsync(HttpContext context, ChatProvider provider, string body, CancellationToken cancel)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakConcurrency); inFlight > peak; peak = Volatile.Read(ref _peakConcurrency))
            if (Interlocked.CompareExchange(ref _peakConcurrency, inFlight, peak) == peak) break;
        try
        {
            await DelayAsync(Latency, cancel);
            provider.AddResponseHeaders(context.Response, _ids);
            if (!Authorized(context.Request, provider))
            {
                await ReplyWriter.WriteErrorAsync(context, provider, provider.Unauthorized(context.Request), null, cancel);
                return;
            }

            ChatTurn turn;
            try
            {
                turn = provider.Read(context.Request, ParseObject(provider, body));
            }
            catch (InvalidRequestException invalid)
            {
                await ReplyWriter.WriteErrorAsync(context, provider, invalid.Error, null, cancel);
                return;
            }

            var fault = TakeFault();
            var reply = ReplyPlanner.Plan(turn);
            await DelayAsync(reply.ExtraLatency, cancel);
            if (fault is StatusFault status)
            {
                await ReplyWriter.WriteErrorAsync(context, provider, provider.ForStatus(status.Code, status.Message), status.RetryAfterSeconds, cancel);
                return;
            }

            var rendered = provider.Render(turn, reply, _ids);
            if (turn.Stream)
                await ReplyWriter.WriteStreamAsync(context, provider.StreamContentType, rendered.StreamChunks, provider.MalformedChunk, fault,
                    ChunkDelay + reply.ExtraChunkDelay, cancel);
            else
                await ReplyWriter.WriteWholeAsync(context, provider.JsonContentType, rendered.JsonBody, fault, cancel);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ListAsync(HttpContext context, ChatProvider provider, CancellationToken cancel)
    {
        await DelayAsync(Latency, cancel);
        provider.AddResponseHeaders(context.Response, _ids);
        if (!Authorized(context.Request, provider))
        {
            await ReplyWriter.WriteErrorAsync(context, provider, provider.Unauthorized(context.Request), null, cancel);
            return;
        }
        await ReplyWriter.WriteBodyAsync(context, StatusCodes.Status200OK, provider.JsonContentType, provider.ListModels(), cancel);
    }

    private async Task NotFoundAsync(HttpContext context, CancellationToken cancel)
    {
        await DelayAsync(Latency, cancel);
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api"))
        {
            await ReplyWriter.WriteBodyAsync(context, StatusCodes.Status404NotFound, "text/plain", "404 page not found", cancel);
            return;
        }
        ChatProvider provider = request.Headers.ContainsKey("anthropic-version") ? _anthropic : _openAI;
        provider.AddResponseHeaders(context.Response, _ids);
        var error = provider.ForStatus(StatusCodes.Status404NotFound, provider == _openAI ? $"Invalid URL ({request.Method} {request.Path})" : "Not Found");
        await ReplyWriter.WriteErrorAsync(context, provider, error, null, cancel);
    }

    private bool Authorized(HttpRequest request, ChatProvider provider) =>
        RequiredApiKey is not { } key || provider.IsAuthorized(request, key);

    private static JsonObject ParseObject(ChatProvider provider, string body)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException invalid)
        {
            throw new InvalidRequestException(provider.InvalidJson(invalid.Message));
        }
        return parsed as JsonObject ?? throw new InvalidRequestException(provider.InvalidJson($"expected a JSON object, got {Json.Describe(parsed)}"));
    }

    private Fault? TakeFault()
    {
        lock (_faults) return _faults.TryDequeue(out var fault) ? fault : null;
    }

    private static Task DelayAsync(TimeSpan delay, CancellationToken cancel) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, cancel) : Task.CompletedTask;
}
