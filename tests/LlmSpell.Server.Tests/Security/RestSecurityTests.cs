using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSpell.Server.Tests.Security;

/// <summary>The REST control plane's defences, in process: token, Origin/Host, rate limit, body size.</summary>
public sealed class RestSecurityTests
{
    private static async Task<JsonElement> Problem(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, doc.RootElement.GetProperty("status").GetInt32());
        return doc.RootElement.Clone();
    }

    private static HttpRequestMessage Get(string path, string? scheme = null, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (scheme is not null) request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        return request;
    }

    [Theory]
    [InlineData("/api/status")]
    [InlineData("/api/stats")]
    [InlineData("/api/kernels")]
    public async Task Api_without_token_is_401_problem_with_challenge(string path)
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.CreateUnauthenticatedClient().GetAsync(path);
        var problem = await Problem(response, 401);
        Assert.Equal("Unauthorized", problem.GetProperty("title").GetString());
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "token");
    }

    [Fact]
    public async Task Post_endpoints_without_token_do_nothing()
    {
        await using var service = await TestService.StartAsync();
        var client = service.CreateUnauthenticatedClient();
        using var shutdown = await client.PostAsync("/api/shutdown", null);
        await Problem(shutdown, 401);
        using var start = await client.PostAsync("/api/kernels", null);
        await Problem(start, 401);
        using var list = await service.Client.GetAsync("/api/kernels");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Single(JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Wrong_token_and_token_off_by_the_last_character_get_the_identical_401()
    {
        await using var service = await TestService.StartAsync();
        var client = service.CreateUnauthenticatedClient();
        var key = service.Runtime.Key;
        var almost = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');
        using var wrong = await client.SendAsync(Get("/api/status", "token", "not-the-token"));
        using var close = await client.SendAsync(Get("/api/status", "token", almost));
        using var malformed = await client.SendAsync(Get("/api/status", "Basic", "dXNlcjpwYXNz"));
        await Problem(wrong, 401);
        await Problem(close, 401);
        await Problem(malformed, 401);
        // Identical apart from the per-request trace id.
        static async Task<string> Body(HttpResponseMessage r) =>
            System.Text.RegularExpressions.Regex.Replace(await r.Content.ReadAsStringAsync(), "\"trace_?id\":\"[^\"]*\"", "\"trace_id\":\"-\"");
        var wrongBody = await Body(wrong);
        Assert.Equal(wrongBody, await Body(close));
        Assert.Equal(wrongBody, await Body(malformed));
        Assert.Equal(wrong.Headers.WwwAuthenticate.ToString(), close.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(key, wrongBody);
        Assert.DoesNotContain(key[..8], wrongBody);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    public async Task Right_token_is_accepted_with_either_scheme(string scheme)
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.CreateUnauthenticatedClient().SendAsync(Get("/api/status", scheme, service.Runtime.Key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Probes_and_the_api_document_stay_open(string path)
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.CreateUnauthenticatedClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(service.Runtime.Key, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_are_open_by_default()
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.CreateUnauthenticatedClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_require_the_token_when_switched_on()
    {
        await using var service = await TestService.StartAsync("[security]\nmetrics_require_token = true\n");
        using var anonymous = await service.CreateUnauthenticatedClient().GetAsync("/metrics");
        await Problem(anonymous, 401);
        using var authorised = await service.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        Assert.Contains("llmspell_", await authorised.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("https://localhost.evil.example")]
    [InlineData("null")]
    public async Task Forbidden_origin_is_403_problem_even_with_the_token(string origin)
    {
        await using var service = await TestService.StartAsync();
        var request = Get("/api/status");
        request.Headers.Add("Origin", origin);
        using var response = await service.Client.SendAsync(request);
        var problem = await Problem(response, 403);
        Assert.Equal("Origin not allowed", problem.GetProperty("title").GetString());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Allowed_origin_gets_cors_headers_on_requests_and_preflights()
    {
        await using var service = await TestService.StartAsync("[security]\nallowed_origins = [\"localhost\", \"https://notebooks.example.com\"]\n");
        foreach (var origin in new[] { "http://localhost:8888", "https://notebooks.example.com" })
        {
            var request = Get("/api/status");
            request.Headers.Add("Origin", origin);
            using var response = await service.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));

            var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/kernels");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
            using var answer = await service.CreateUnauthenticatedClient().SendAsync(preflight);
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
            Assert.Equal(origin, Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin")));
        }
        var other = Get("/api/status");
        other.Headers.Add("Origin", "http://notebooks.example.com"); // right host, wrong scheme
        using var rejected = await service.Client.SendAsync(other);
        await Problem(rejected, 403);
    }

    [Theory]
    [InlineData("evil.example:9555")]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    public async Task Rebinding_host_is_rejected_even_with_the_token(string host)
    {
        await using var service = await TestService.StartAsync();
        var request = Get("/api/status");
        request.Headers.Host = host;
        using var response = await service.Client.SendAsync(request);
        var problem = await Problem(response, 400);
        Assert.Equal("Host not allowed", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/api/status", 400)]
    [InlineData("/health", 200)] // probes are exempt from the Host check
    public async Task Malformed_idn_host_is_a_400_problem_not_a_500(string path, int status)
    {
        await using var service = await TestService.StartAsync();
        // HttpClient through the test host would itself fail to parse this Host; set it on the server's context instead.
        var server = (Microsoft.AspNetCore.TestHost.TestServer)service.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Request.Headers.Host = "xn--localhost-";
        });
        Assert.Equal(status, context.Response.StatusCode);
        if (status != 400) return;
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var doc = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("Invalid Host header", doc.RootElement.GetProperty("title").GetString());
        Assert.Contains("xn--localhost-", doc.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("127.0.0.1:9555")]
    [InlineData("localhost:9555")]
    [InlineData("[::1]:9555")]
    [InlineData("10.1.2.3")]
    public async Task Ip_literal_and_localhost_hosts_are_accepted(string host)
    {
        await using var service = await TestService.StartAsync();
        var request = Get("/api/status");
        request.Headers.Host = host;
        using var response = await service.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Burst_over_the_rate_limit_gets_429_with_retry_after_while_health_answers()
    {
        await using var service = await TestService.StartAsync("[security]\nrate_limit_per_minute = 5\n");
        for (var i = 0; i < 5; i++)
        {
            using var ok = await service.Client.GetAsync("/api/status");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await service.Client.GetAsync("/api/status");
        var problem = await Problem(limited, 429);
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        var retryAfter = Assert.Single(limited.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        using var stranger = await service.CreateUnauthenticatedClient().GetAsync("/api/kernels");
        await Problem(stranger, 429); // unauthenticated floods are limited too
        for (var i = 0; i < 10; i++)
        {
            using var health = await service.Client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task Zero_means_no_rate_limit()
    {
        await using var service = await TestService.StartAsync("[security]\nrate_limit_per_minute = 0\n");
        for (var i = 0; i < 30; i++)
        {
            using var ok = await service.Client.GetAsync("/api/status");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
    }

    [Fact]
    public async Task Oversized_body_is_413_problem()
    {
        await using var service = await TestService.StartAsync("[security]\nmax_message_size_mb = 1\n");
        using var content = new ByteArrayContent(new byte[(1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await service.Client.PostAsync("/api/kernels", content);
        var problem = await Problem(response, 413);
        Assert.Contains("max_message_size_mb", problem.GetProperty("detail").GetString());
        using var kernels = await service.Client.GetAsync("/api/kernels");
        Assert.Single(JsonDocument.Parse(await kernels.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Token_file_is_written_0600_for_the_bound_port()
    {
        await using var service = await TestService.StartAsync();
        // TestServer has no port; the file logic is exercised directly.
        var path = LlmSpell.Server.Security.TokenFile.Write(service.Dir.Combine("run"), 45678, "secret-token");
        Assert.Equal(Path.Combine(service.Dir.Combine("run"), "token-45678"), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("secret-token", LlmSpell.Server.Security.TokenFile.TryRead(service.Dir.Combine("run"), 45678));
        LlmSpell.Server.Security.TokenFile.Delete(path, "other-token");
        Assert.True(File.Exists(path));
        LlmSpell.Server.Security.TokenFile.Delete(path, "secret-token");
        Assert.False(File.Exists(path));
    }
}
