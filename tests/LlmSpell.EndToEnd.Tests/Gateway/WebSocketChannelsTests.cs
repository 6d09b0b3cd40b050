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
        await using var service = await SecuredService.StartAsync("[kernels]\nwebsocket_buffer_mb = 4\n");
        var kernel = await DefaultKernelAsync(service);
        var url = new Uri($"ws://{service.BaseUrl.Authority}/api/kernels/{kernel}/channels");

        // The slow client connects with a tiny receive buffer and never reads; the fast one (.NET's ClientWebSocket,
        // which reads far faster than the kernel prints) runs a cell printing 40 MB.
        using var slow = await RawWebSocket.ConnectAsync(url, service.Token, receiveBuffer: 4096);
        using var fast = await RawWebSocket.ConnectAsync(url, service.Token);
        var run = await fast.ExecuteAsync("local s = string.rep(\"x\", 256 * 1024) for i = 1, 160 do print(s) end return \"done\"", TimeSpan.FromSeconds(120));
        var context = service.Output;
        Assert.Equal(160 * (256 * 1024 + 1), run.StreamBytes);
        Assert.Equal("done", run.Result);
        Assert.Equal("still serving", (await fast.ExecuteAsync("return \"still serving\"", TimeSpan.FromSeconds(30))).Result);

        // The slow client was dropped (aborted: a close frame could not reach it either), the fast one never.
        await Wait.UntilAsync(() => Task.FromResult(service.Output.Contains("stopped reading")), TimeSpan.FromSeconds(10), "the slow client to be dropped", () => service.Output);
        Assert.Single(service.Output.Split('\n'), l => l.Contains("stopped reading"));
        Assert.True(await slow.IsDroppedAsync(TimeSpan.FromSeconds(30)), context);
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_cell_leaves_a_kernel_that_finishes_the_cell_and_serves_the_next_client()
    {
        await using var service = await SecuredService.StartAsync();
        var run = await WebSocketClient.RunAsync("disconnect", service.BaseUrl, await DefaultKernelAsync(service), service.Token);
        Assert.Equal("ok", run.GetProperty("status").GetString());
        Assert.Equal("finished", run.GetProperty("after")[0].GetString());
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
