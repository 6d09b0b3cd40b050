using System.Diagnostics;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Scripting.Tests;

/// <summary>Agents from Lua against the provider doubles: replies, streaming, tools, workflows, errors.</summary>
public sealed class AgentTests
{
    [Theory]
    [InlineData("openai/gpt-test")]
    [InlineData("anthropic/claude-test")]
    [InlineData("ollama/llama-test")]
    public async Task ExecuteReturnsTheReplyWithUsageAndMetadata(string model)
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value($"agent = Agent.builder():model('{model}'):system_prompt('You are terse.'):build()");
        h.Value("r = agent:execute('hello there')");
        Assert.Equal("echo: hello there", h.Value("r.text"));
        Assert.Equal(model.Split('/')[0], h.Value("r.metadata.provider"));
        Assert.Equal("true", h.Value("r.usage.input_tokens > 0 and r.usage.output_tokens == 3 and r.usage.total_tokens == r.usage.input_tokens + 3"));
        Assert.Equal("1", h.Value("r.metadata.attempts"));
    }

    [Fact]
    public async Task StreamCallsTheCallbackAsTextArrivesAndWithoutOneWritesStdout()
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("agent = Agent.builder():model('openai/gpt-test'):build()");
        Assert.Equal("true", h.Value("""
            local pieces = {}
            local r = agent:stream("one two three four", function(chunk) pieces[#pieces + 1] = chunk.text end)
            return #pieces > 1 and table.concat(pieces) == r.text and r.text == "echo: one two three four"
            """));
        h.Value("agent:stream('to stdout')");
        Assert.Equal("echo: to stdout", h.Stdout.ToString());
    }

    [Theory]
    [InlineData("openai/gpt-test")]
    [InlineData("anthropic/claude-test")]
    [InlineData("ollama/llama-test")]
    public async Task TheModelCallsLuaToolsAndGetsTheirResults(string model)
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("""
            Tool.define({ name = "add", description = "Add two numbers",
              parameters = { type = "object", properties = { a = {type = "number"}, b = {type = "number"} }, required = {"a", "b"} },
              handler = function(args) return args.a + args.b end })
            Tool.define({ name = "fails", description = "Always fails", handler = function() error("no luck", 0) end })
            """);
        h.Value($"agent = Agent.builder():model('{model}'):tools({{'add', 'fails'}}):build()");
        h.Value("""r = agent:execute('[[call add {"a": 2, "b": 3}]] [[call fails {}]]')""");
        Assert.Equal("add 5 fails no luck", h.Value("r.tool_calls[1].name .. ' ' .. r.tool_calls[1].result .. ' ' .. r.tool_calls[2].name .. ' ' .. r.tool_calls[2].error"));
        Assert.StartsWith("tool results: 5", h.Value("r.text"));
    }

    [Fact]
    public async Task ParallelAgentStepsOverlap()
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("a1 = Agent.builder():model('openai/gpt-test'):build() a2 = Agent.builder():model('anthropic/claude-test'):build()");
        var watch = Stopwatch.StartNew();
        Assert.Equal("ok echo: one echo: two", h.Value("""
            local r = Workflow.builder():parallel()
              :add_step({ name = "a", agent = a1, input = "[[sleep 1000]] one" })
              :add_step({ name = "b", agent = a2, input = function(ctx) return "[[sleep 1000]] two" end })
              :build():execute()
            return r.status .. " " .. r.outputs.a.text .. " " .. r.outputs.b.text
            """));
        Assert.True(watch.ElapsedMilliseconds < 1800, $"two 1 s calls took {watch.ElapsedMilliseconds} ms: they did not overlap");
        Assert.Equal(2, h.Double.PeakConcurrency);
    }

    [Fact]
    public async Task AgentsKeepTheConversationAsRoleMessages()
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("agent = Agent.builder():model('openai/gpt-test'):system_prompt('sys'):build() agent:execute('first') agent:execute('second')");
        Assert.Equal("user,assistant,user,assistant", h.Value("local t = {} for _, m in ipairs(agent:history()) do t[#t + 1] = m.role end return table.concat(t, ',')"));
        var last = h.Double.Requests.Last(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Body;
        Assert.Contains("\"first\"", last);
        Assert.Contains("\"sys\"", last);
        h.Value("agent:reset()");
        Assert.Equal("0", h.Value("#agent:history()"));
    }

    [Fact]
    public async Task AnAgentResultDisplaysAsMarkdown()
    {
        await using var h = await ScriptHarness.StartAsync();
        var outcome = h.Run("Agent.builder():model('openai/gpt-test'):build():execute('[[reply **bold**]]')");
        Assert.True(outcome.Success);
        Assert.Equal("**bold**", outcome.ResultMarkdown);
        Assert.Equal("**bold**", outcome.ResultText);
    }

    [Fact]
    public async Task InterruptCancelsAStalledStreamWithinASecond()
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("agent = Agent.builder():model('openai/gpt-test'):build()");
        h.Double.Enqueue(Fault.StallAfterChunks(1));
        var run = Task.Run(() => h.Run("agent:stream('a b c d', function() end)"));
        Assert.True(await Wait.ForAsync(() => h.Double.Requests.Count > 0, TimeSpan.FromSeconds(10)), "the call never reached the double");
        await Task.Delay(200);
        var watch = Stopwatch.StartNew();
        h.Session.Interrupt();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(outcome.Success);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"the interrupt took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task TheExecutionTimeoutAbortsACallInFlight()
    {
        await using var h = await ScriptHarness.StartAsync();
        h.Value("agent = Agent.builder():model('anthropic/claude-test'):build()");
        var watch = Stopwatch.StartNew();
        var outcome = h.Run("agent:execute('[[sleep 10000]] slow')", TimeSpan.FromMilliseconds(500));
        Assert.False(outcome.Success);
        Assert.True(watch.ElapsedMilliseconds < 1500, $"the timeout took {watch.ElapsedMilliseconds} ms");
        Assert.Equal("echo: next", h.Value("agent:execute('next').text"));
    }

    [Fact]
    public async Task BadModelsAndMissingKeysAreClearLuaErrors()
    {
        await using var h = await ScriptHarness.StartAsync(d => ScriptHarness.DefaultOptions(d) with
        {
            Providers = [.. ScriptHarness.DefaultOptions(d).Providers.Select(p => p.Name == "openai" ? p with { ApiKey = null, ApiKeyEnv = "LLMSPELL_TEST_NO_SUCH_KEY" } : p)],
        });
        var unknown = h.Error("Agent.builder():model('nosuch/x'):build()");
        Assert.Contains("unknown provider 'nosuch'", unknown);
        Assert.Contains("openai, anthropic, ollama", unknown);
        var missing = h.Error("Agent.builder():model('openai/gpt-test'):build():execute('hi')");
        Assert.Contains("openai", missing);
        Assert.Contains("LLMSPELL_TEST_NO_SUCH_KEY", missing);
        Assert.Contains("base_url needs the script's own api_key", h.Error("Agent.builder():model('openai/x'):base_url('http://127.0.0.1:1/v1'):build()"));
        Assert.Contains("unknown tool", h.Error("Agent.builder():tools({'nope'}):build()"));
    }

    [Fact]
    public async Task TheConfiguredKeyNeverGoesToAScriptChosenUrl()
    {
        await using var h = await ScriptHarness.StartAsync();
        await using var other = await ProviderDouble.StartAsync();
        h.Value($"Agent.builder():model('openai/gpt-test'):base_url('{other.OpenAIBaseUrl}'):api_key('sk-script-own'):build():execute('hi')");
        var request = Assert.Single(other.Requests, r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
        Assert.Equal("Bearer sk-script-own", request.Headers.First(kv => kv.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.DoesNotContain(other.Requests, r => r.Headers.Values.Any(v => v.Contains(ScriptHarness.Key, StringComparison.Ordinal)));
    }
}
