namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>llmspell's own websocket opened as a browser must: the token in ?token=, no Authorization header.</summary>
public sealed class ChannelsQueryTokenTests
{
    [Fact]
    public async Task ChannelsWebsocket_AcceptsTheTokenInTheQueryString_AndRefusesAWrongOne()
    {
        await using var world = await GatewayWorld.StartAsync();
        var kernelId = (await world.LlmSpellKernelsAsync()).Single(k => k.GetProperty("default").GetBoolean()).GetProperty("id").GetString()!;

        var run = await world.RunDriverAsync("gateway_e2e.py", TimeSpan.FromSeconds(60), "query-token",
            world.Service.BaseUrl.ToString(), world.Token, kernelId);
        var context = run + "\n" + world.Describe();

        Assert.True(run.GetProperty("wrong_token").ValueKind == System.Text.Json.JsonValueKind.Number
            && run.GetProperty("wrong_token").GetInt32() == 401, $"a wrong ?token= on the upgrade: {run.GetProperty("wrong_token")}\n{context}");
        var execute = run.GetProperty("execute");
        Assert.True(execute.GetProperty("reply").GetProperty("status").GetString() == "ok", context);
        Assert.Equal("42", execute.GetProperty("result").GetString());
    }
}
