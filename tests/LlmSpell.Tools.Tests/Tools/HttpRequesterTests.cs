using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LlmSpell.Tools;
using LlmSpell.Tools.Http;

namespace LlmSpell.Tools.Tests.Tools;

/// <summary>http-requester against a real server on 127.0.0.1: refused unless allowed, then real requests with their caps.</summary>
public sealed class HttpRequesterTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    private readonly ToolContext _allowed = ToolRunner.Context() with { HttpAllowedHosts = ["127.0.0.1"] };

    private static string Marker() => "id=" + Guid.NewGuid().ToString("N");

    private Task<JsonElement> RunAsync(string arguments, ToolContext? context = null) =>
        ToolRunner.RunAsync("http-requester", arguments, context ?? _allowed);

    private Task<string> FailureAsync(string arguments, ToolContext? context = null) =>
        ToolRunner.FailureAsync("http-requester", arguments, context ?? _allowed);

    [Fact]
    public async Task WithoutAllowedHostsTheToolIsDisabled()
    {
        var marker = Marker();
        var message = await FailureAsync($$"""{"url": "{{server.Url("/hello?" + marker)}}"}""", ToolRunner.Context());
        Assert.Equal("http-requester: HTTP requests are disabled: no host is allowed. " +
            "Add the hosts this tool may reach to the allowed HTTP hosts in the configuration.", message);
        Assert.False(server.Received(marker));
    }

    [Fact]
    public async Task HostNotInTheListIsRefusedBeforeAnyRequest()
    {
        var marker = Marker();
        var context = _allowed with { HttpAllowedHosts = ["example.com", "*.internal"] };
        Assert.Equal("http-requester: the host '127.0.0.1' is not allowed (allowed: example.com, *.internal); add it to the allowed HTTP hosts to reach it.",
            await FailureAsync($$"""{"url": "{{server.Url("/hello?" + marker)}}"}""", context));
        // localhost reaches the same server, but only 127.0.0.1 is listed.
        Assert.StartsWith("http-requester: the host 'localhost' is not allowed",
            await FailureAsync($$"""{"url": "http://localhost:{{server.Port}}/hello?{{marker}}"}"""));
        Assert.False(server.Received(marker));
    }

    [Fact]
    public async Task GetFromAnAllowedHost()
    {
        var result = await RunAsync($$"""{"url": "{{server.Url("/hello")}}"}""");
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal("hello", result.GetProperty("body").GetString());
        Assert.Equal("utf8", result.GetProperty("body_encoding").GetString());
        Assert.StartsWith("text/plain", result.GetProperty("headers").GetProperty("content-type").GetString());
        Assert.Equal(server.Url("/hello"), result.GetProperty("url").GetString());
    }

    [Fact]
    public async Task PortSpecificEntriesAllowOnlyThatPort()
    {
        var exact = _allowed with { HttpAllowedHosts = [$"127.0.0.1:{server.Port}"] };
        Assert.Equal(200, (await RunAsync($$"""{"url": "{{server.Url("/hello")}}"}""", exact)).GetProperty("status").GetInt32());
        var other = _allowed with { HttpAllowedHosts = ["127.0.0.1:1"] };
        Assert.StartsWith("http-requester: the host '127.0.0.1' is not allowed", await FailureAsync($$"""{"url": "{{server.Url("/hello")}}"}""", other));
    }

    [Fact]
    public async Task JsonResponsesAreAlsoParsed()
    {
        var result = await RunAsync($$"""{"url": "{{server.Url("/json")}}"}""");
        Assert.Equal(2, result.GetProperty("json").GetProperty("a")[1].GetInt32());
        Assert.True(result.GetProperty("json").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task PostSendsBodyAndHeaders()
    {
        var result = await RunAsync($$"""
            {"url": "{{server.Url("/echo")}}", "method": "POST", "body": "name=ada", "headers": {"X-Test": "yes", "Content-Type": "application/x-www-form-urlencoded"} }
            """);
        var echo = result.GetProperty("json");
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal("name=ada", echo.GetProperty("body").GetString());
        Assert.Equal("application/x-www-form-urlencoded", echo.GetProperty("content_type").GetString());
        Assert.Equal("yes", echo.GetProperty("x_test").GetString());
        Assert.Equal("llmspell-http-requester", echo.GetProperty("user_agent").GetString());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task JsonBodiesAreSentAsJson(string method)
    {
        var echo = (await RunAsync($$"""{"url": "{{server.Url("/echo")}}", "method": "{{method}}", "json": {"k": [1, "two"]} }""")).GetProperty("json");
        Assert.Equal(method, echo.GetProperty("method").GetString());
        Assert.Equal("""{"k": [1, "two"]}""", echo.GetProperty("body").GetString());
        Assert.Equal("application/json", echo.GetProperty("content_type").GetString());
    }

    [Fact]
    public async Task ErrorStatusesAreResultsNotFailures()
    {
        var result = await RunAsync($$"""{"url": "{{server.Url("/status/404")}}"}""");
        Assert.Equal(404, result.GetProperty("status").GetInt32());
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("status 404", result.GetProperty("body").GetString());
    }

    [Fact]
    public async Task BodiesThatAreNotTextComeAsBase64AndCharsetsAreHonoured()
    {
        var binary = await RunAsync($$"""{"url": "{{server.Url("/binary")}}"}""");
        Assert.Equal("AAH/", binary.GetProperty("body").GetString());
        Assert.Equal("base64", binary.GetProperty("body_encoding").GetString());
        Assert.Equal("café", (await RunAsync($$"""{"url": "{{server.Url("/latin1")}}"}""")).GetProperty("body").GetString());
    }

    [Fact]
    public async Task RedirectsWithinAllowedHostsAreFollowed()
    {
        var result = await RunAsync($$"""{"url": "{{server.Url("/redirect/302?to=/hello")}}"}""");
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("hello", result.GetProperty("body").GetString());
        Assert.Equal(server.Url("/hello"), result.GetProperty("url").GetString());
    }

    [Fact]
    public async Task RedirectToAHostNotAllowedIsRefused()
    {
        var marker = Marker();
        var target = Uri.EscapeDataString($"http://localhost:{server.Port}/hello?{marker}");
        Assert.Equal("http-requester: 127.0.0.1 redirected to localhost, which is not an allowed host; request it directly if it should be allowed.",
            await FailureAsync($$"""{"url": "{{server.Url("/redirect/302?to=" + target)}}"}"""));
        Assert.False(server.Received(marker));
    }

    [Fact]
    public async Task RedirectToAnotherSchemeIsRefused() => Assert.Equal(
        "http-requester: 127.0.0.1 redirected to 'file:///etc/passwd', which is not an http or https URL.",
        await FailureAsync($$"""{"url": "{{server.Url("/redirect/301?to=file:///etc/passwd")}}"}"""));

    [Theory]
    [InlineData(303, "GET", "")]
    [InlineData(302, "GET", "")]
    [InlineData(307, "POST", "payload")]
    [InlineData(308, "POST", "payload")]
    public async Task RedirectsAfterPostKeepOrDropTheBodyAsHttpSays(int code, string method, string body)
    {
        var echo = (await RunAsync($$"""{"url": "{{server.Url($"/redirect/{code}?to=/echo")}}", "method": "POST", "body": "payload"}""")).GetProperty("json");
        Assert.Equal(method, echo.GetProperty("method").GetString());
        Assert.Equal(body, echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task RedirectsCanBeReturnedInsteadOfFollowed()
    {
        var result = await RunAsync($$"""{"url": "{{server.Url("/redirect/302?to=/hello")}}", "follow_redirects": false}""");
        Assert.Equal(302, result.GetProperty("status").GetInt32());
        Assert.Equal("/hello", result.GetProperty("headers").GetProperty("location").GetString());
    }

    [Fact]
    public async Task EndlessRedirectsStop() => Assert.Equal(
        $"http-requester: more than 5 redirects, starting at {server.Url("/loop/0")}.",
        await FailureAsync($$"""{"url": "{{server.Url("/loop/0")}}"}"""));

    [Fact]
    public async Task ResponsesOverTheCapAreRefused()
    {
        var small = _allowed with { MaxHttpResponseBytes = 1000 };
        Assert.Equal("x", (await RunAsync($$"""{"url": "{{server.Url("/big/1000")}}"}""", small)).GetProperty("body").GetString()![..1]);
        Assert.Equal("http-requester: the response from 127.0.0.1 declares 5000 bytes, more than the 1000-byte response cap allows; request a smaller resource (or a range).",
            await FailureAsync($$"""{"url": "{{server.Url("/big/5000")}}"}""", small));
        Assert.Equal("http-requester: the response from 127.0.0.1 is larger than the 1000-byte response cap allows; request a smaller resource (or a range).",
            await FailureAsync($$"""{"url": "{{server.Url("/streamed/100000")}}"}""", small));
    }

    [Fact]
    public async Task SlowResponsesTimeOut()
    {
        var impatient = _allowed with { HttpTimeout = TimeSpan.FromMilliseconds(300) };
        Assert.Equal("http-requester: the request to 127.0.0.1 timed out after 0.3 s; try again, or ask for less.",
            await FailureAsync($$"""{"url": "{{server.Url("/slow")}}"}""", impatient));
        Assert.Equal("http-requester: the request to 127.0.0.1 timed out after 0.2 s; try again, or ask for less.",
            await FailureAsync($$"""{"url": "{{server.Url("/slow")}}", "timeout_seconds": 0.2}"""));
    }

    [Fact]
    public async Task TimeoutArgumentCannotExceedTheConfiguredLimit()
    {
        var impatient = _allowed with { HttpTimeout = TimeSpan.FromMilliseconds(300) };
        Assert.EndsWith("timed out after 0.3 s; try again, or ask for less.",
            await FailureAsync($$"""{"url": "{{server.Url("/slow")}}", "timeout_seconds": 600}""", impatient));
    }

    [Fact]
    public async Task CallersCancellationIsNotReportedAsATimeout()
    {
        using var arguments = JsonDocument.Parse($$"""{"url": "{{server.Url("/slow")}}"}""");
        using var cancel = new CancellationTokenSource();
        var call = BuiltinTools.Find("http-requester")!.InvokeAsync(arguments.RootElement, _allowed, cancel.Token);
        await Wait.UntilAsync(() => server.Received("GET /slow"), TimeSpan.FromSeconds(10), "the request to reach the server");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task ConnectionFailuresAreExplained()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.StartsWith("http-requester: the request to 127.0.0.1 failed: Connection refused",
            await FailureAsync($$"""{"url": "http://127.0.0.1:{{closedPort}}/"}"""));
    }

    [Theory]
    [InlineData("""{"url": "ftp://127.0.0.1/file"}""", "http-requester: 'ftp://127.0.0.1/file' is not an absolute http or https URL.")]
    [InlineData("""{"url": "/relative/path"}""", "http-requester: '/relative/path' is not an absolute http or https URL.")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": {"Host": "example.com"}}""", "http-requester: the Host header cannot be set; it comes from the URL.")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": {"X-Number": 5}}""", "http-requester: header 'X-Number' must be a string, got an integer.")]
    [InlineData("""{"url": "http://127.0.0.1/", "body": "a", "json": {}}""", "http-requester: give body or json, not both.")]
    [InlineData("""{"url": "http://127.0.0.1/", "method": "CONNECT"}""", "http-requester: field 'method' must be one of: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; got 'CONNECT'.")]
    [InlineData("""{"method": "GET"}""", "http-requester: missing required field 'url'.")]
    public async Task BadInputIsExplained(string arguments, string message) => Assert.Equal(message, await FailureAsync(arguments));

    [Theory]
    [InlineData("*.example.com", "https://api.example.com/x", true)]
    [InlineData("*.example.com", "https://a.b.example.com/x", true)]
    [InlineData("*.example.com", "https://example.com/x", false)]
    [InlineData("*.example.com", "https://badexample.com/x", false)]
    [InlineData("Example.COM", "https://example.com./x", true)]
    [InlineData("[::1]", "http://[::1]:8080/", true)]
    [InlineData("[::1]:8080", "http://[::1]:9090/", false)]
    [InlineData("https://api.example.com", "https://api.example.com:8443/", true)]
    [InlineData("https://api.example.com:443", "https://api.example.com:8443/", false)]
    public void AllowListEntries(string entry, string url, bool allowed) =>
        Assert.Equal(allowed, new HostAllowList([entry]).Allows(new Uri(url)));
}
