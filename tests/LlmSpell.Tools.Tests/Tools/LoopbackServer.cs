using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Tools.Tests.Tools;

/// <summary>
/// A Kestrel server on 127.0.0.1 (a free port) with the endpoints the http-requester tests need. It records every
/// request's path and query, so a test can tell that a refused request never left the tool.
/// </summary>
public sealed class LoopbackServer : IAsyncLifetime
{
    private WebApplication? _app;

    public ConcurrentQueue<string> Requests { get; } = new();

    public int Port { get; private set; }

    /// <summary>http://127.0.0.1:port + <paramref name="pathAndQuery"/>.</summary>
    public string Url(string pathAndQuery) => $"http://127.0.0.1:{Port}{pathAndQuery}";

    public bool Received(string marker) => Requests.Any(r => r.Contains(marker, StringComparison.Ordinal));

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Requests.Enqueue(context.Request.Method + " " + context.Request.Path + context.Request.QueryString);
            await next(context);
        });
        MapEndpoints(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
    }

    private void MapEndpoints(WebApplication app)
    {
        app.MapGet("/hello", () => "hello");
        app.MapGet("/json", () => Results.Text("""{"a": [1, 2], "ok": true}""", "application/json"));
        app.MapGet("/binary", () => Results.Bytes([0, 1, 255], "application/octet-stream"));
        app.MapGet("/latin1", () => Results.Bytes([0x63, 0x61, 0x66, 0xE9], "text/plain; charset=iso-8859-1"));
        app.MapGet("/status/{code:int}", (int code) => Results.Text($"status {code}", statusCode: code));
        app.MapGet("/big/{bytes:int}", (int bytes) => Results.Text(new string('x', bytes)));
        app.MapGet("/streamed/{bytes:int}", async (HttpContext context, int bytes) =>
        {
            // No Content-Length: the size shows only while reading.
            var chunk = new byte[4096];
            Array.Fill(chunk, (byte)'y');
            for (var sent = 0; sent < bytes; sent += chunk.Length) await context.Response.Body.WriteAsync(chunk);
        });
        app.MapGet("/slow", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        app.Map("/echo", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            return Results.Json(new
            {
                method = context.Request.Method,
                body,
                content_type = context.Request.ContentType,
                x_test = context.Request.Headers["X-Test"].ToString(),
                user_agent = context.Request.Headers.UserAgent.ToString(),
            });
        });
        app.Map("/redirect/{code:int}", (HttpContext context, int code, string to) =>
        {
            context.Response.StatusCode = code;
            context.Response.Headers.Location = to;
        });
        app.MapGet("/loop/{n:int}", (HttpContext context, int n) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"/loop/{n + 1}";
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
