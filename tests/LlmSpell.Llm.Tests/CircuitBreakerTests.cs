using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>After consecutive failures calls fail fast, without reaching the provider, and say when it will be tried again.</summary>
public sealed class CircuitBreakerTests
{
    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task ConsecutiveFailuresOpenTheCircuit(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var tuning = TestProviders.Fast with { BreakerFailureThreshold = 3, BreakerBreakDuration = TimeSpan.FromSeconds(30) };
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider) with { MaxRetries = 0 }, tuning: tuning);
        for (var i = 0; i < 3; i++) provider.Enqueue(Fault.Status(500));
        for (var i = 0; i < 3; i++)
        {
            var failure = await Assert.ThrowsAsync<LlmException>(() =>
                runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));
            Assert.Equal(500, failure.StatusCode);
        }

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Matches($"^provider '{type}' is failing: 3 consecutive failures; retrying after (29|30)s$", error.Message);
        Assert.Equal(3, provider.ChatRequests(type).Count);
    }

    [Fact]
    public async Task TheCircuitClosesAgainAfterTheBreakWhenTheProviderRecovers()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var tuning = TestProviders.Fast with { BreakerFailureThreshold = 2, BreakerBreakDuration = TimeSpan.FromMilliseconds(500) };
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Ollama, provider) with { MaxRetries = 1 }, tuning: tuning);
        provider.Enqueue(Fault.Status(503));
        provider.Enqueue(Fault.Status(503));
        await Assert.ThrowsAsync<LlmException>(() => runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));
        var open = await Assert.ThrowsAsync<LlmException>(() => runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));
        Assert.Contains("is failing: 2 consecutive failures", open.Message);

        ChatCallResult? result = null;
        await Wait.UntilAsync(async () =>
        {
            try { result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None); }
            catch (LlmException e) when (e.Message.Contains("is failing", StringComparison.Ordinal)) { }
            return result is not null;
        }, TimeSpan.FromSeconds(10), "the circuit to close");

        Assert.Equal("echo: hi", result!.Text);
    }

    [Fact]
    public async Task ClientErrorsDoNotOpenTheCircuit()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = "another-key-0000";
        var tuning = TestProviders.Fast with { BreakerFailureThreshold = 2 };
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider), tuning: tuning);

        for (var i = 0; i < 4; i++)
        {
            var error = await Assert.ThrowsAsync<LlmException>(() =>
                runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));
            Assert.Equal(401, error.StatusCode);
        }
        Assert.Equal(4, provider.Requests.Count);
    }
}
