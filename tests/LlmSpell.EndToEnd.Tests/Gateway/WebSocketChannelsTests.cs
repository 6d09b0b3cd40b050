using System.Net;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Security;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>Direct websocket clients (python3-websocket) of the built binary's /api/kernels/{id}/channels.</summary>
public sealed class WebSocketChannelsTests
{
    private static async Task<string> DefaultKernelAsync(SecuredService service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service.BaseUrl, "/api/kernels"));
        request.Headers.Authorization = new("token", service.Token);
        var body = await (await service.Http.SendAsync(request)).Content.ReadAsStringAsync();
        return Check.Json(body, body).EnumerateArray().Single(k => k.GetProperty("default").GetBoolean()).GetProperty("id").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(SecuredService service, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(service.BaseUrl, path));
        request.Headers.Authorization = new("token", service.Token);
        return await service.Http.SendAsync(request);
    }

    [Fact]
    public async Task Legacy_protocol_executes_lua_with_stream_and_result_takes_binary_buffers_and_answers_pings()
    {
        await using var service = await SecuredService.StartAsync();
        var run = await WebSocketClient.RunAsync("legacy", service.BaseUrl, await DefaultKernelAsync(service), service.Token);
        var context = run + "\n" + service.Output;
        Assert.Equal(JsonValueKind.Null, run.GetProperty("subprotocol").ValueKind);
        var first = run.GetProperty("first");
        Assert.Equal("hello ws\n", first.GetProperty("stream").GetString());
        Assert.Equal("42", first.GetProperty("results")[0].GetString());
        Assert.Equal("ok", first.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal(["status", "execute_input", "stream", "execute_result", "status"],
            first.GetProperty("iopub_types").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("2", run.GetProperty("binary").GetProperty("results")[0].GetString());
        Assert.Equal("are you there", run.GetProperty("pong").GetString());
        Check.DoesNotContain(service.Token, service.Output, context);
    }

    [Fact]
    public async Task V1_subprotocol_is_selected_when_offered_and_carries_buffers()
    {
        await using var service = await SecuredService.StartAsync();
        var run = await WebSocketClient.RunAsync("v1", service.BaseUrl, await DefaultKernelAsync(service), service.Token);
        Assert.Equal("v1.kernel.websocket.jupyter.org", run.GetProperty("subprotocol").GetString());
        var first = run.GetProperty("first");
        Assert.Equal("hello v1\n", first.GetProperty("stream").GetString());
        Assert.Equal("v1", first.GetProperty("results")[0].GetString());
        Assert.Equal("ok", first.GetProperty("reply").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_upgrade_needs_the_token_in_the_header_or_query_and_an_allowed_origin()
    {
        await using var service = await SecuredService.StartAsync();
        var run = await WebSocketClient.RunAsync("auth", service.BaseUrl, await DefaultKernelAsync(service), service.Token);
        Assert.Equal(401, run.GetProperty("no_token").GetInt32());
        Assert.Equal(401, run.GetProperty("wrong_token").GetInt32());
        Assert.Equal(101, run.GetProperty("query_token").GetInt32());
        Assert.Equal(401, run.GetProperty("wrong_query_token").GetInt32());
        Assert.Equal(403, run.GetProperty("foreign_origin").GetInt32()); // cross-site websocket hijacking
        Assert.Equal(101, run.GetProperty("same_origin").GetInt32());
        Assert.Equal(404, run.GetProperty("unknown_kernel").GetInt32());

        // A plain GET (no upgrade) is told what the endpoint is.
        using var plain = await SendAsync(service, HttpMethod.Get, $"/api/kernels/{await DefaultKernelAsync(service)}/channels");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("websocket", await plain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Many_clients_on_one_kernel_each_get_only_their_own_replies()
    {
        await using var service = await SecuredService.StartAsync();
        var run = await WebSocketClient.RunAsync("many", service.BaseUrl, await DefaultKernelAsync(service), service.Token);
        Assert.Empty(run.GetProperty("errors").EnumerateArray());
        var results = run.GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        for (var i = 0; i < 3; i++)
        {
            var runs = results[i];
            Assert.Equal(3, runs.GetArrayLength());
            for (var n = 0; n < 3; n++)
            {
                Assert.Equal($"client {i} run {n}", runs[n].GetProperty("results")[0].GetString());
                Assert.Equal(0, runs[n].GetProperty("foreign_replies").GetInt32()); // shell replies routed per connection
            }
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_and_never_stalls_the_kernel_for_the_others()
    {
        await using var service = await SecuredService.StartAsync("[kernels]\nwebsocket_buffer_mb = 1\n");
        var run = await WebSocketClient.RunAsync("slow", service.BaseUrl, await DefaultKernelAsync(service), service.Token, TimeSpan.FromSeconds(180));
        var context = run + "\n" + service.Output;
        Assert.Equal(200 * (64 * 1024 + 1), run.GetProperty("stream_bytes").GetInt32());
        Assert.Equal("done", run.GetProperty("result")[0].GetString());
        Assert.Equal("still serving", run.GetProperty("after")[0].GetString());
        // The slow client's connection was dropped (aborted: it could not even be sent a close frame).
        Assert.True(run.GetProperty("slow_close")[0].ValueKind == JsonValueKind.Null, context);
        Assert.Contains("stopped reading", service.Output);
    }

    [Fact]
    public async Task Invalid_and_oversized_messages_close_only_that_connection_with_a_code_naming_the_problem()
    {
        await using var service = await SecuredService.StartAsync("[security]\nmax_message_size_mb = 1\n");
        var kernel = await DefaultKernelAsync(service);
        var invalid = await WebSocketClient.RunAsync("invalid", service.BaseUrl, kernel, service.Token);
        Assert.Equal(1007, invalid.GetProperty("not_json")[0].GetInt32());
        Assert.Contains("not valid JSON", invalid.GetProperty("not_json")[1].GetString());
        Assert.Equal(1007, invalid.GetProperty("no_msg_type")[0].GetInt32());
        Assert.Contains("msg_type", invalid.GetProperty("no_msg_type")[1].GetString());
        Assert.Equal("fine", invalid.GetProperty("after")[0].GetString());

        var large = await WebSocketClient.RunAsync("too_large", service.BaseUrl, kernel, service.Token);
        Assert.Equal(1009, large.GetProperty("closed")[0].GetInt32());
        Assert.Contains("max_message_size_mb", large.GetProperty("closed")[1].GetString());
        Assert.Equal("fine", large.GetProperty("after")[0].GetString());
    }

    [Fact]
    public async Task Stopping_a_kernel_closes_its_websockets_with_1001_and_a_restart_keeps_them_with_fresh_state()
    {
        await using var service = await SecuredService.StartAsync();
        var kernel = await DefaultKernelAsync(service);

        await using (var restart = WebSocketClient.Start("restart", service.BaseUrl, kernel, service.Token))
        {
            await restart.WaitForLineAsync("restart-now", TimeSpan.FromSeconds(60));
            using var restarted = await SendAsync(service, HttpMethod.Post, $"/api/kernels/{kernel}/restart");
            Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
            restart.Continue();
            var result = await restart.ResultAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("nil", result.GetProperty("after")[0].GetString());
        }

        await using var client = WebSocketClient.Start("stop", service.BaseUrl, kernel, service.Token);
        await client.WaitForLineAsync("connected", TimeSpan.FromSeconds(60));
        using (var status = await SendAsync(service, HttpMethod.Get, $"/api/kernels/{kernel}"))
            Assert.Equal(1, Check.Json(await status.Content.ReadAsStringAsync(), "kernel").GetProperty("connections").GetInt32());
        using var deleted = await SendAsync(service, HttpMethod.Delete, $"/api/kernels/{kernel[..8]}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var closed = (await client.ResultAsync(TimeSpan.FromSeconds(60))).GetProperty("closed");
        Assert.Equal(1001, closed[0].GetInt32());
        Assert.Contains("shut down", closed[1].GetString());
    }
}
