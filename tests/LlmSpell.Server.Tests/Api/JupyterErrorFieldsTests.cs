using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Api;

/// <summary>
/// Every ProblemDetails also carries Jupyter Server's error fields, "reason" (= title) and "message" (= detail), which
/// Jupyter Server's gateway client shows for a gateway's errors: the handlers' problems, the security layer's, status pages'.
/// </summary>
public class JupyterErrorFieldsTests
{
    private static async Task<JsonElement> AssertJupyterFields(HttpResponseMessage response, int status, string context)
    {
        Assert.True(status == (int)response.StatusCode, $"{context}: expected {status}, got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problem = doc.RootElement.Clone();
        var title = problem.GetProperty("title").GetString();
        Assert.False(string.IsNullOrEmpty(title), $"{context}: no title");
        Assert.True(problem.TryGetProperty("reason", out var reason), $"{context}: no \"reason\" in {problem}");
        Assert.Equal(title, reason.GetString());
        Assert.True(problem.TryGetProperty("message", out var message), $"{context}: no \"message\" in {problem}");
        var expected = problem.TryGetProperty("detail", out var detail) ? detail.GetString() : title;
        Assert.Equal(expected, message.GetString());
        return problem;
    }

    [Fact]
    public async Task Handler_security_and_status_page_problems_carry_reason_and_message()
    {
        await using var service = await TestService.StartAsync("[security]\nmax_message_size_mb = 1\nrate_limit_per_minute = 0\n");
        var stranger = service.CreateUnauthenticatedClient();

        // a handler's TypedResults.Problem
        using var notFound = await service.Client.GetAsync("/api/kernels/no-such-kernel");
        var problem = await AssertJupyterFields(notFound, 404, "unknown kernel");
        Assert.Equal("Kernel not found", problem.GetProperty("reason").GetString());
        Assert.Contains("no-such-kernel", problem.GetProperty("message").GetString());

        // the authentication handler
        using var unauthorized = await stranger.GetAsync("/api/kernels");
        await AssertJupyterFields(unauthorized, 401, "no token");

        // RequestGuardMiddleware: Origin, Host, body size
        var origin = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        origin.Headers.Add("Origin", "http://evil.example");
        using var forbidden = await service.Client.SendAsync(origin);
        Assert.Equal("Origin not allowed", (await AssertJupyterFields(forbidden, 403, "foreign Origin")).GetProperty("reason").GetString());

        var host = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        host.Headers.Host = "evil.example";
        using var badHost = await service.Client.SendAsync(host);
        await AssertJupyterFields(badHost, 400, "foreign Host");

        using var body = new ByteArrayContent(new byte[(1024 * 1024) + 1]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var tooLarge = await service.Client.PostAsync("/api/kernels", body);
        Assert.Contains("max_message_size_mb", (await AssertJupyterFields(tooLarge, 413, "oversized body")).GetProperty("message").GetString());

        // UseStatusCodePages: a route that does not exist (no detail, so message is the title)
        using var noRoute = await service.Client.GetAsync("/no/such/route");
        await AssertJupyterFields(noRoute, 404, "unknown route");
    }

    [Fact]
    public async Task Rate_limit_problem_carries_reason_and_message()
    {
        await using var service = await TestService.StartAsync("[security]\nrate_limit_per_minute = 1\n");
        using var first = await service.Client.GetAsync("/api/status");
        Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        using var limited = await service.Client.GetAsync("/api/status");
        var problem = await AssertJupyterFields(limited, 429, "over the rate limit");
        Assert.Contains("rate_limit_per_minute", problem.GetProperty("message").GetString());
    }
}
