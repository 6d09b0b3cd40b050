using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Security;

/// <summary>Hostile HTTP clients against the real `llmspell kernel start`: tokens, Origin/Host, rate limit, body size.</summary>
public sealed class RestHostileTests
{
    private static async Task<string> ProblemBody(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return Regex.Replace(await response.Content.ReadAsStringAsync(), "\"trace_?id\":\"[^\"]*\"", "\"trace_id\":\"-\"");
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url, string? token)
    {
        var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        return request;
    }

    [Fact]
    public async Task Missing_wrong_and_almost_right_tokens_get_the_same_401_and_the_service_stays_up()
    {
        await using var service = await SecuredService.StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(service.TokenFile));
        var token = service.Token;
        var almost = token[..^1] + (token[^1] == '0' ? '1' : '0');
        var url = new Uri(service.BaseUrl, "/api/status");
        using var none = await service.Http.SendAsync(Request(HttpMethod.Get, url, null));
        using var wrong = await service.Http.SendAsync(Request(HttpMethod.Get, url, "wrong-token"));
        using var close = await service.Http.SendAsync(Request(HttpMethod.Get, url, almost));
        using var shutdown = await service.Http.SendAsync(Request(HttpMethod.Post, new Uri(service.BaseUrl, "/api/shutdown"), almost));
        var body = await ProblemBody(none, HttpStatusCode.Unauthorized);
        Assert.Equal(body, await ProblemBody(wrong, HttpStatusCode.Unauthorized));
        Assert.Equal(body, await ProblemBody(close, HttpStatusCode.Unauthorized));
        Assert.Equal(body, await ProblemBody(shutdown, HttpStatusCode.Unauthorized));
        Assert.Contains(wrong.Headers.WwwAuthenticate, h => h.Scheme == "token");
        Assert.DoesNotContain(token, body);
        Assert.DoesNotContain(token, service.Output);

        Assert.True(await service.IsHealthyAsync(), service.Output);
        using var right = await service.Http.SendAsync(Request(HttpMethod.Get, url, token));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var bearer = Request(HttpMethod.Get, url, null);
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var viaBearer = await service.Http.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.OK, viaBearer.StatusCode);
    }

    [Fact]
    public async Task Cli_finds_the_token_file_and_explains_when_it_cannot()
    {
        await using var service = await SecuredService.StartAsync();
        var port = service.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = await service.CliAsync("kernel", "status", "--port", port, "--config", service.ConfigFile, "--json");
        Check.ExitCode(0, status);
        var stats = await service.CliAsync("kernel", "stats", "--port", port, "--config", service.ConfigFile);
        Check.ExitCode(0, stats);

        // A user who cannot read the token file (here: it is gone) and has no token gets one line explaining where to find it.
        using var stranger = new TempDir();
        var token = service.Token;
        File.Delete(service.TokenFile);
        var elsewhere = await Cli.RunAsync(["kernel", "status", "--port", port, "--config", service.ConfigFile],
            environment: SecuredService.EnvironmentFor(stranger), workingDirectory: stranger.Path);
        Check.ExitCode(1, elsewhere);
        Check.Contains("401 Unauthorized", elsewhere.Stderr, elsewhere);
        Check.Contains($"token-{port}", elsewhere.Stderr, elsewhere);
        Check.Contains("--token", elsewhere.Stderr, elsewhere);
        Check.Contains("LLMSPELL_TOKEN", elsewhere.Stderr, elsewhere);
        Check.NoStackTrace(elsewhere.Stderr, elsewhere);
        Assert.Single(elsewhere.Stderr.Trim().Split('\n'));

        var wrongEnv = new Dictionary<string, string?>(SecuredService.EnvironmentFor(stranger)) { ["LLMSPELL_TOKEN"] = "wrong" };
        var rejected = await Cli.RunAsync(["kernel", "status", "--port", port, "--config", service.ConfigFile], environment: wrongEnv, workingDirectory: stranger.Path);
        Check.ExitCode(1, rejected);
        Check.Contains("LLMSPELL_TOKEN", rejected.Stderr, rejected);

        var rightEnv = new Dictionary<string, string?>(SecuredService.EnvironmentFor(stranger)) { ["LLMSPELL_TOKEN"] = token };
        Check.ExitCode(0, await Cli.RunAsync(["kernel", "status", "--port", port, "--config", service.ConfigFile], environment: rightEnv, workingDirectory: stranger.Path));
    }

    [Fact]
    public async Task Forbidden_origin_and_rebinding_host_are_rejected_even_with_the_token()
    {
        await using var service = await SecuredService.StartAsync();
        var url = new Uri(service.BaseUrl, "/api/kernels").ToString();
        var auth = $"Authorization: token {service.Token}";
        var origin = await Curl.RunAsync("-i", "-H", auth, "-H", "Origin: http://evil.example", url);
        Check.ExitCode(0, origin);
        Check.Contains("HTTP/1.1 403", origin.Stdout, origin);
        Check.Contains("application/problem+json", origin.Stdout, origin);
        Check.DoesNotContain("Access-Control-Allow-Origin", origin.Stdout, origin);

        var host = await Curl.RunAsync("-i", "-H", auth, "-H", $"Host: evil.example:{service.BaseUrl.Port}", url);
        Check.ExitCode(0, host);
        Check.Contains("HTTP/1.1 400", host.Stdout, host);
        Check.Contains("Host not allowed", host.Stdout, host);

        var allowed = await Curl.RunAsync("-i", "-H", auth, "-H", "Origin: http://localhost:8888", url);
        Check.Contains("HTTP/1.1 200", allowed.Stdout, allowed);
        Check.Contains("Access-Control-Allow-Origin: http://localhost:8888", allowed.Stdout, allowed);

        var shutdown = await Curl.RunAsync("-i", "-X", "POST", "-H", auth, "-H", "Origin: http://evil.example", new Uri(service.BaseUrl, "/api/shutdown").ToString());
        Check.Contains("HTTP/1.1 403", shutdown.Stdout, shutdown);
        Assert.True(await service.IsHealthyAsync(), service.Output);
    }

    [Fact]
    public async Task Burst_over_the_rate_limit_gets_429_and_health_stays_open()
    {
        await using var service = await SecuredService.StartAsync("[security]\nrate_limit_per_minute = 5\n");
        var url = new Uri(service.BaseUrl, "/api/status");
        var codes = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 12; i++)
        {
            using var response = await service.Http.SendAsync(Request(HttpMethod.Get, url, service.Token));
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter ??= response.Headers.GetValues("Retry-After").Single();
                await ProblemBody(response, HttpStatusCode.TooManyRequests);
            }
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5), codes.Take(5));
        Assert.All(codes.Skip(5), c => Assert.Equal(HttpStatusCode.TooManyRequests, c));
        Assert.InRange(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        for (var i = 0; i < 10; i++) Assert.True(await service.IsHealthyAsync(), service.Output);
        using var ready = await service.Http.GetAsync(new Uri(service.BaseUrl, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Oversized_http_body_is_413_problem_and_nothing_happens()
    {
        await using var service = await SecuredService.StartAsync("[security]\nmax_message_size_mb = 1\n");
        var body = service.Dir.File("big.json");
        await File.WriteAllBytesAsync(body, new byte[(2 * 1024 * 1024) + 7]);
        var result = await Curl.RunAsync("-i", "-X", "POST", "-H", $"Authorization: token {service.Token}", "-H", "Content-Type: application/json",
            "--data-binary", "@" + body, new Uri(service.BaseUrl, "/api/kernels").ToString());
        Check.Contains("413", result.Stdout, result);
        Check.Contains("application/problem+json", result.Stdout, result);
        Check.Contains("max_message_size_mb", result.Stdout, result);
        Assert.True(await service.IsHealthyAsync(), service.Output);
        using var kernels = await service.Http.SendAsync(Request(HttpMethod.Get, new Uri(service.BaseUrl, "/api/kernels"), service.Token));
        Assert.Single(System.Text.Json.JsonDocument.Parse(await kernels.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Malformed_idn_host_is_400_without_a_stack_trace_and_the_service_keeps_serving()
    {
        await using var service = await SecuredService.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            // Raw TCP: HttpClient would refuse to send this Host header.
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, service.BaseUrl.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("GET /api/status HTTP/1.1\r\nHost: xn--localhost-\r\nConnection: close\r\n\r\n"));
            using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
            var answer = await reader.ReadToEndAsync();
            Assert.StartsWith("HTTP/1.1 400 ", answer);
            Assert.Contains("application/problem+json", answer);
            Assert.Contains("Invalid Host header", answer);
        }
        Assert.True(await service.IsHealthyAsync(), service.Output);
        Check.NoStackTrace(service.Output, service.Output);
    }
}
