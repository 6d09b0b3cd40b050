using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>Requests the real APIs reject (400, each in its provider's format) and RequiredApiKey (401).</summary>
public sealed class ValidationAndAuthTests
{
    public static TheoryData<string, string, string, string> Rejected => new()
    {
        // provider, path, body, a fragment of the error message
        { "openai", "/v1/chat/completions", """{"model":"gpt-4o-mini"}""", "Missing required parameter: 'messages'." },
        { "openai", "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""", "you must provide a model parameter" },
        { "openai", "/v1/chat/completions", """{"model":"m","messages":[]}""", "empty array" },
        { "openai", "/v1/chat/completions", """{"model":"m","messages":[{"role":"robot","content":"hi"}]}""", "Invalid value: 'robot'" },
        { "openai", "/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"call_9","content":"x"}]}""",
            "messages with role 'tool' must be a response to a preceeding message with 'tool_calls'" },
        { "openai", "/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"user","content":"and?"}]}""",
            "did not have response messages: call_1" },
        { "openai", "/v1/chat/completions", """{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "integer below minimum value" },
        { "openai", "/v1/chat/completions", """{"model":"m","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""", "only allowed when 'stream' is enabled" },
        { "openai", "/v1/chat/completions", "{not json", "We could not parse the JSON body of your request." },
        { "anthropic", "/v1/messages", """{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required" },
        { "anthropic", "/v1/messages", """{"max_tokens":9,"messages":[{"role":"user","content":"hi"}]}""", "model: Field required" },
        { "anthropic", "/v1/messages", """{"model":"m","max_tokens":9}""", "messages: Field required" },
        { "anthropic", "/v1/messages", """{"model":"m","max_tokens":9,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"x"}]}]}""",
            "unexpected `tool_use_id` found in `tool_result` blocks: toolu_9" },
        { "anthropic", "/v1/messages", """{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},{"role":"user","content":"and?"}]}""",
            "`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1" },
        { "anthropic", "/v1/messages", """{"model":"m","max_tokens":9,"tools":[{"name":"f"}],"messages":[{"role":"user","content":"hi"}]}""", "input_schema: Field required" },
        { "anthropic-unversioned", "/v1/messages", """{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}]}""", "anthropic-version: header is required" },
        { "ollama", "/api/chat", """{"messages":[{"role":"user","content":"hi"}]}""", "model is required" },
        { "ollama", "/api/chat", """{"model":"m","stream":"yes"}""", "stream" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task InvalidRequestsAre400sInTheProvidersFormat(string provider, string path, string body, string fragment)
    {
        await using var double_ = await ProviderDouble.StartAsync();
        using var response = await DoubleHttp.PostAsync(double_.BaseUrl + path, body,
            provider == "anthropic" ? [("anthropic-version", DoubleHttp.AnthropicVersion)] : null);
        Assert.Equal(400, (int)response.StatusCode);
        var error = await response.JsonAsync();
        var message = provider switch
        {
            "openai" => error["error"]!.Str("message"),
            "ollama" => error.Str("error"),
            _ => error["error"]!.Str("message"),
        };
        Assert.Contains(fragment, message);
        if (provider == "openai") Assert.Equal("invalid_request_error", error["error"]!.Str("type"));
        if (provider.StartsWith("anthropic", StringComparison.Ordinal))
        {
            Assert.Equal("error", error.Str("type"));
            Assert.Equal("invalid_request_error", error["error"]!.Str("type"));
        }
    }

    [Fact]
    public async Task OpenAIMissingParametersNameTheParamAndCode()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var response = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f"}}]}]}""");
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal("messages[1].tool_calls[0].function.arguments", error.Str("param"));
        Assert.Equal("missing_required_parameter", error.Str("code"));
    }

    [Fact]
    public async Task RequiredApiKeyRejectsMissingAndWrongKeysInEachFormatWithoutEchoingThem()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = "right-key";
        const string openAIBody = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";
        const string anthropicBody = """{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"hi"}]}""";

        using var openAIMissing = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", openAIBody);
        Assert.Equal(401, (int)openAIMissing.StatusCode);
        Assert.Equal("invalid_request_error", (await openAIMissing.JsonAsync())["error"]!.Str("type"));
        using var openAIWrong = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", openAIBody, [("Authorization", "Bearer wrong-key")]);
        Assert.Equal(401, (int)openAIWrong.StatusCode);
        var openAIError = await openAIWrong.Content.ReadAsStringAsync();
        Assert.Contains("invalid_api_key", openAIError);
        Assert.DoesNotContain("wrong-key", openAIError);
        using var openAIRight = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", openAIBody, [("Authorization", "Bearer right-key")]);
        Assert.Equal(200, (int)openAIRight.StatusCode);

        using var anthropicWrong = await DoubleHttp.AnthropicAsync(provider.BaseUrl, anthropicBody, [("x-api-key", "wrong-key")]);
        Assert.Equal(401, (int)anthropicWrong.StatusCode);
        var anthropicError = await anthropicWrong.Content.ReadAsStringAsync();
        Assert.Contains("\"authentication_error\"", anthropicError);
        Assert.DoesNotContain("wrong-key", anthropicError);
        using var anthropicRight = await DoubleHttp.AnthropicAsync(provider.BaseUrl, anthropicBody, [("x-api-key", "right-key")]);
        Assert.Equal(200, (int)anthropicRight.StatusCode);
        using var anthropicBearer = await DoubleHttp.AnthropicAsync(provider.BaseUrl, anthropicBody, [("Authorization", "Bearer right-key")]);
        Assert.Equal(200, (int)anthropicBearer.StatusCode);

        using var ollamaWrong = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", """{"model":"m","stream":false}""", [("Authorization", "Bearer wrong-key")]);
        Assert.Equal(401, (int)ollamaWrong.StatusCode);
        Observed.JsonEqual("""{"error":"unauthorized"}""", await ollamaWrong.JsonAsync());

        using var models = await DoubleHttp.GetAsync(provider.OpenAIBaseUrl + "/models");
        Assert.Equal(401, (int)models.StatusCode);
        using var tags = await DoubleHttp.GetAsync(provider.BaseUrl + "/api/tags", [("Authorization", "Bearer right-key")]);
        Assert.Equal(200, (int)tags.StatusCode);
    }
}
