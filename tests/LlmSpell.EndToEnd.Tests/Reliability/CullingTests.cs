using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Security;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Reliability;

/// <summary>[kernels] culling and prespawn against the real binary, seen only through REST and /metrics.</summary>
public sealed partial class CullingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static HttpRequestMessage Request(SecuredService service, HttpMethod method, string path) =>
        new(method, new Uri(service.BaseUrl, path)) { Headers = { Authorization = new AuthenticationHeaderValue("token", service.Token) } };

    private static async Task<string> PostKernelAsync(SecuredService service)
    {
        using var response = await service.Http.SendAsync(Request(service, HttpMethod.Post, "/api/kernels"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/kernels: {(int)response.StatusCode}\n{service.Output}");
        using var model = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return model.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> ListedIdsAsync(SecuredService service)
    {
        using var response = await service.Http.SendAsync(Request(service, HttpMethod.Get, "/api/kernels"));
        response.EnsureSuccessStatusCode();
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return list.RootElement.EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
    }

    private static async Task<string> MetricsAsync(SecuredService service) =>
        await service.Http.GetStringAsync(new Uri(service.BaseUrl, "/metrics"));

    /// <summary>The value of one sample line (name with its labels, exactly as exposed), or null when absent.</summary>
    private static double? Sample(string metrics, string series)
    {
        var m = Regex.Match(metrics, "^" + Regex.Escape(series) + @" (\S+)$", RegexOptions.Multiline);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [Fact]
    public async Task An_idle_kernel_is_culled_within_seconds_and_the_default_kernel_stays()
    {
        await using var service = await SecuredService.StartAsync("[kernels]\ncull_idle_timeout = 1\ncull_interval = 1\n");
        var defaultId = Assert.Single(await ListedIdsAsync(service));
        var id = await PostKernelAsync(service);
        Assert.Contains(id, await ListedIdsAsync(service));

        await Wait.UntilAsync(async () => !(await ListedIdsAsync(service)).Contains(id), Timeout, $"kernel {id} to be culled", () => service.Output);

        Assert.Equal([defaultId], await ListedIdsAsync(service));
        // Counted and logged once the stop has finished.
        await Wait.UntilAsync(async () => Sample(await MetricsAsync(service), "llmspell_kernels_culled_total") == 1
            && service.Output.Contains($"Culled idle kernel {id} after", StringComparison.Ordinal), Timeout, "the cull to be counted and logged", () => service.Output);
        var connectionFile = Path.Combine(service.RuntimeDirectory, $"kernel-{id}.json");
        await Wait.UntilAsync(() => !File.Exists(connectionFile), Timeout, "the culled kernel's connection file to be removed");
    }

    [Fact]
    public async Task With_prespawn_a_post_takes_the_warm_kernel_which_was_not_listed_and_the_metrics_pass_promtool()
    {
        var promtool = RequiredTool.Find("promtool", "prometheus");
        await using var service = await SecuredService.StartAsync("[kernels]\nprespawn = 1\n");
        await Wait.UntilAsync(async () => Sample(await MetricsAsync(service), "llmspell_kernels_prespawned") == 1, Timeout,
            "llmspell_kernels_prespawned 1", () => service.Output);
        var listed = Assert.Single(await ListedIdsAsync(service));

        var id = await PostKernelAsync(service);

        var metrics = await MetricsAsync(service);
        Assert.Equal(1, Sample(metrics, "llmspell_kernel_start_seconds_count{source=\"prespawn\"}"));
        Assert.Null(Sample(metrics, "llmspell_kernel_start_seconds_count{source=\"cold\"}"));
        // Default, the prespawned one and its replacement: three real starts.
        await Wait.UntilAsync(async () => Sample(metrics = await MetricsAsync(service), "llmspell_kernels_prespawned") == 1
            && Sample(metrics, "llmspell_kernels_started_total") == 3, Timeout, "the pool to refill", () => metrics + service.Output);
        Assert.Equal([listed, id], await ListedIdsAsync(service));

        var check = await ProcessRunner.RunAsync(promtool, ["check", "metrics"], stdin: metrics);
        Assert.True(check.ExitCode == 0, $"promtool check metrics (exit {check.ExitCode}):\n{check.Stdout}{check.Stderr}");
        Check.Contains("llmspell_websocket_connections 0", metrics, metrics);
    }
}
