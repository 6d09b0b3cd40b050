using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>The default replies and the wire details no SDK test pins down: directives, usage, framing, lists, recording.</summary>
public sealed class WireFormatTests
{
    private static string OpenAIChat(string text, string extra = "") =>
        $$"""{"model":"gpt-4o-mini"{{extra}},"messages":[{"role":"user","content":{{JsonValue.Create(text).ToJsonString()}}}]}""";

    private const string Tools = ""","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]""";

    private static async Task<JsonNode> CompleteAsync(ProviderDouble provider, string body)
    {
        using var response = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", body);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.JsonAsync())["choices"]![0]!["message"]!;
    }

    [Theory]
    [InlineData("  Hello   world  ", "echo: Hello   world")]
    [InlineData("Weather? [[call f {\"city\":\"Paris\"}]]", "echo: Weather?")]
    [InlineData("x [[reply  exactly this ]] y", " exactly this ")]
    [InlineData("[[sleep 1]][[slow 1]]ping", "echo: ping")]
    [InlineData("[[call f {broken]] stays", "echo: [[call f {broken]] stays")]
    [InlineData("[[nonsense]]", "echo: [[nonsense]]")]
    public async Task WithoutToolsTheReplyIsTheReplyDirectiveOrAnEchoWithoutDirectives(string text, string reply)
    {
        await using var provider = await ProviderDouble.StartAsync();
        Assert.Equal(reply, (await CompleteAsync(provider, OpenAIChat(text))).Str("content"));
    }

    [Fact]
    public async Task CallDirectivesBecomeToolCallsWithUniqueIdsAndTheirJsonArguments()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var message = await CompleteAsync(provider, OpenAIChat("""[[call f {"a":[[1,2]],"s":"]]"}]] [[call f]]""", Tools));
        var calls = message["tool_calls"]!.AsArray();
        Assert.Equal(2, calls.Count);
        Assert.Equal(["call_1", "call_2"], calls.Select(call => call!.Str("id")));
        Observed.JsonEqual("""{"a":[[1,2]],"s":"]]"}""", JsonNode.Parse(calls[0]!["function"]!.Str("arguments")!));
        Assert.Equal("{}", calls[1]!["function"]!.Str("arguments"));
        Assert.Null(message["content"]);

        var none = await CompleteAsync(provider, OpenAIChat("[[call f {}]] hi", Tools + ""","tool_choice":"none" """));
        Assert.Equal("echo: hi", none.Str("content"));
    }

    [Fact]
    public async Task UsageCountsTheWordsOfAllMessagesAndTheSystemPrompt()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var openAI = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions",
            """{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"one two"}]},{"role":"assistant","content":"three"},{"role":"user","content":"four five six"}]}""");
        var usage = (await openAI.JsonAsync())["usage"]!;
        Assert.Equal(8, usage.Int("prompt_tokens"));
        Assert.Equal(4, usage.Int("completion_tokens")); // "echo: four five six"

        using var anthropic = await DoubleHttp.AnthropicAsync(provider.BaseUrl,
            """{"model":"m","max_tokens":99,"system":[{"type":"text","text":"be brief"}],"messages":[{"role":"user","content":"one two three"}]}""");
        var message = await anthropic.JsonAsync();
        Assert.Equal(5, message["usage"]!.Int("input_tokens"));
        Assert.Equal(4, message["usage"]!.Int("output_tokens"));
        Assert.Equal("m", message.Str("model"));
        Assert.StartsWith("msg_", message.Str("id"));
        Assert.StartsWith("req_", anthropic.Header("request-id"));
    }

    [Fact]
    public async Task OllamaStreamsNdjsonWhenStreamIsAbsentAndAnswersJsonWhenFalse()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var streamed = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"a b"}]}""");
        Assert.Equal("application/x-ndjson", streamed.MediaType());
        var lines = (await streamed.LinesAsync()).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal(["echo:", " a", " b", ""], lines.Select(line => line["message"]!.Str("content")));
        Assert.All(lines[..^1], line => Assert.False(line.Bool("done")));
        Assert.True(lines[^1].Bool("done"));
        Assert.Equal("stop", lines[^1].Str("done_reason"));
        Assert.Equal(3, lines[^1].Int("eval_count"));

        using var whole = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", """{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"a b"}]}""");
        Assert.Equal("application/json", whole.MediaType());
        Assert.Equal("echo: a b", (await whole.JsonAsync())["message"]!.Str("content"));
    }

    [Fact]
    public async Task OpenAIStreamedToolCallsNameTheCallFirstThenSendArgumentsInFragmentsOfAtMostEight()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var response = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions",
            OpenAIChat("""[[call f {"query":"a longer argument value"}]]""", Tools + ""","stream":true"""));
        var data = await response.SseDataAsync();
        Assert.Equal("[DONE]", data[^1]);
        var deltas = data[..^1].Select(chunk => JsonNode.Parse(chunk)!["choices"]![0]!).ToList();
        var fragments = deltas.Select(choice => choice["delta"]!["tool_calls"]?[0]).Where(call => call is not null).ToList();

        var opening = fragments[0]!;
        Assert.Equal(0, opening.Int("index"));
        Assert.Equal("call_1", opening.Str("id"));
        Assert.Equal("function", opening.Str("type"));
        Assert.Equal("f", opening["function"]!.Str("name"));
        Assert.Equal("assistant", deltas[0]["delta"]!.Str("role"));
        var arguments = fragments.Skip(1).Select(fragment => fragment!["function"]!.Str("arguments")!).ToList();
        Assert.All(fragments.Skip(1), fragment => Assert.Null(fragment!["id"]));
        Assert.All(arguments, piece => Assert.InRange(piece.Length, 1, 8));
        Assert.True(arguments.Count > 3);
        Assert.Equal("""{"query":"a longer argument value"}""", string.Concat(arguments));
        Assert.Equal("tool_calls", deltas[^1].Str("finish_reason"));
    }

    [Fact]
    public async Task AnthropicStreamsPairEventNamesWithTheirDataTypeAndPing()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var response = await DoubleHttp.AnthropicAsync(provider.BaseUrl,
            """{"model":"m","max_tokens":2,"stream":true,"messages":[{"role":"user","content":"one two three"}]}""");
        Assert.Equal("text/event-stream", response.MediaType());
        var blocks = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var events = blocks.Select(block => block.Split('\n')).ToList();
        Assert.All(events, lines =>
        {
            Assert.Equal(2, lines.Length);
            Assert.Equal(lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!.Str("type"));
        });
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(lines => lines[0]["event: ".Length..]));
        var delta = JsonNode.Parse(events[^2][1]["data: ".Length..])!;
        Assert.Equal("max_tokens", delta["delta"]!.Str("stop_reason"));
        Assert.Equal(2, delta["usage"]!.Int("output_tokens"));
    }

    [Fact]
    public async Task ModelListsFollowTheAskingProvidersFormat()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var openAI = await DoubleHttp.GetAsync(provider.OpenAIBaseUrl + "/models");
        var openAIList = await openAI.JsonAsync();
        Assert.Equal("list", openAIList.Str("object"));
        Assert.All(openAIList["data"]!.AsArray(), model => Assert.Equal("model", model!.Str("object")));

        using var anthropic = await DoubleHttp.GetAsync(provider.OpenAIBaseUrl + "/models", [("anthropic-version", DoubleHttp.AnthropicVersion)]);
        var anthropicList = await anthropic.JsonAsync();
        var data = anthropicList["data"]!.AsArray();
        Assert.False(anthropicList.Bool("has_more"));
        Assert.Equal(data[0]!.Str("id"), anthropicList.Str("first_id"));
        Assert.Equal(data[^1]!.Str("id"), anthropicList.Str("last_id"));
        Assert.All(data, model => Assert.True(DateTimeOffset.TryParse(model!.Str("created_at"), out _)));

        using var tags = await DoubleHttp.GetAsync(provider.BaseUrl + "/api/tags");
        Assert.NotEmpty((await tags.JsonAsync())["models"]!.AsArray());
    }

    [Fact]
    public async Task UnknownPathsAre404sInTheGuessedFormat()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var openAI = await DoubleHttp.GetAsync(provider.OpenAIBaseUrl + "/nothing");
        Assert.Equal(404, (int)openAI.StatusCode);
        Assert.Equal("Invalid URL (GET /v1/nothing)", (await openAI.JsonAsync())["error"]!.Str("message"));
        using var anthropic = await DoubleHttp.GetAsync(provider.OpenAIBaseUrl + "/nothing", [("anthropic-version", DoubleHttp.AnthropicVersion)]);
        Assert.Equal("not_found_error", (await anthropic.JsonAsync())["error"]!.Str("type"));
        using var ollama = await DoubleHttp.GetAsync(provider.BaseUrl + "/api/nothing");
        Assert.Equal("404 page not found", await ollama.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RequestsRecordsEveryRequestWithItsHeadersAndBody()
    {
        await using var provider = await ProviderDouble.StartAsync();
        Assert.Empty(provider.Requests);
        var body = OpenAIChat("hi");
        using var chat = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", body, [("X-Trace", "t-1")]);
        using var tags = await DoubleHttp.GetAsync(provider.BaseUrl + "/api/tags");

        var requests = provider.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(("POST", "/v1/chat/completions", body), (requests[0].Method, requests[0].Path, requests[0].Body));
        Assert.Equal("t-1", requests[0].Headers["x-trace"]);
        Assert.Equal(("GET", "/api/tags", ""), (requests[1].Method, requests[1].Path, requests[1].Body));
    }
}
