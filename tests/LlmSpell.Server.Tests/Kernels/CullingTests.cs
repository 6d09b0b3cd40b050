using System.Net;
using System.Text.Json;
using LlmSpell.Server.Kernels;
using LlmSpell.Server.Metrics;
using LlmSpell.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSpell.Server.Tests.Kernels;

/// <summary>The culler in the real service app, with real kernels and real (short) intervals.</summary>
public class CullingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string?> Cull(int timeout, int interval = 1) => new()
    {
        ["kernels:cull_idle_timeout"] = timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["kernels:cull_interval"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<List<string>> ListedIdsAsync(TestService service)
    {
        using var list = JsonDocument.Parse(await service.Client.GetStringAsync("/api/kernels"));
        return list.RootElement.EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
    }

    private static async Task<JsonElement> PostAsync(TestService service)
    {
        using var created = await service.Client.PostAsync("/api/kernels", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task An_idle_kernel_is_culled_and_its_connection_file_removed_while_the_default_kernel_stays()
    {
        await using var service = await TestService.StartAsync(overrides: Cull(timeout: 1));
        var culledBefore = LlmSpellMetrics.KernelsCulled.Value;
        var kernel = await PostAsync(service);
        var id = kernel.GetProperty("id").GetString()!;
        var connectionFile = kernel.GetProperty("connection_file").GetString()!;
        Assert.Contains(id, await ListedIdsAsync(service));

        await Wait.UntilAsync(async () => !(await ListedIdsAsync(service)).Contains(id), Timeout, $"kernel {id} to be culled");

        Assert.Equal([service.Runtime.DefaultKernelId], await ListedIdsAsync(service));
        // Delisted first, then stopped: the stop removes the connection file.
        await Wait.UntilAsync(() => !File.Exists(connectionFile), Timeout, "the culled kernel's connection file to be removed");
        await Wait.UntilAsync(() => LlmSpellMetrics.KernelsCulled.Value >= culledBefore + 1, Timeout, "llmspell_kernels_culled_total to count the cull");
    }

    [Fact]
    public async Task A_check_spares_kernels_active_within_the_timeout()
    {
        // An interval far away: only the check called here runs.
        await using var service = await TestService.StartAsync(overrides: Cull(timeout: 3600, interval: 3600));
        var id = (await PostAsync(service)).GetProperty("id").GetString()!;

        Assert.Equal(0, await service.Services.GetRequiredService<KernelCuller>().CullAsync());
        Assert.Contains(id, await ListedIdsAsync(service));
    }
}
