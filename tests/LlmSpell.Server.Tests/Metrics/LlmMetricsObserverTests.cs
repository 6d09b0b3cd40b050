using LlmSpell.Server.Metrics;

namespace LlmSpell.Server.Tests.Metrics;

public class LlmMetricsObserverTests
{
    private static async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Calls_are_counted_with_low_cardinality_model_labels_and_summed_for_stats()
    {
        var provider = "p" + Guid.NewGuid().ToString("N")[..8];
        var observer = new LlmMetricsObserver(new HashSet<string> { "gpt-known" });
        observer.RequestFinished(provider, "gpt-known", "ok", TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50), 10, 4, 0.002);
        observer.RequestFinished(provider, "script-chosen-model-123", "error", TimeSpan.FromMilliseconds(100), null, 0, 0, 0);
        observer.Retried(provider, "429");

        var text = await ScrapeAsync();
        Assert.Contains($"llmspell_llm_requests_total{{provider=\"{provider}\",model=\"gpt-known\",outcome=\"ok\"}} 1", text);
        Assert.Contains($"llmspell_llm_requests_total{{provider=\"{provider}\",model=\"other\",outcome=\"error\"}} 1", text);
        Assert.DoesNotContain("script-chosen-model-123", text);
        Assert.Contains($"llmspell_llm_tokens_total{{provider=\"{provider}\",model=\"gpt-known\",direction=\"input\"}} 10", text);
        Assert.Contains($"llmspell_llm_tokens_total{{provider=\"{provider}\",model=\"gpt-known\",direction=\"output\"}} 4", text);
        Assert.Contains($"llmspell_llm_retries_total{{provider=\"{provider}\",reason=\"429\"}} 1", text);
        Assert.Contains($"llmspell_llm_cost_usd_total{{provider=\"{provider}\",model=\"gpt-known\"}} 0.002", text);
        Assert.Contains($"llmspell_llm_time_to_first_token_seconds_count{{provider=\"{provider}\"}} 1", text);
        Assert.Contains($"llmspell_llm_request_duration_seconds_count{{provider=\"{provider}\"}} 2", text);

        Assert.Equal(new LlmTotals(2, 1, 10, 4, 1, 0.002), observer.Totals);
    }
}
