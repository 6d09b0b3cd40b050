using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Metrics;
using LlmSpell.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSpell.Server.Tests.Kernels;

/// <summary>[kernels] prespawn: warm kernels handed out by POST /api/kernels, refilled in the background.</summary>
public class PrespawnTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<JupyterKernel> WarmAsync(TestService service, int count = 1)
    {
        await Wait.UntilAsync(() => service.Kernels.Warm.Count == count, Timeout, $"{count} warm kernel(s)",
            () => $"warm: {service.Kernels.Warm.Count}");
        return service.Kernels.Warm[0];
    }

    private static async Task<List<string>> ListedIdsAsync(TestService service)
    {
        using var list = JsonDocument.Parse(await service.Client.GetStringAsync("/api/kernels"));
        return list.RootElement.EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(TestService service, object? body = null)
    {
        using var response = body is null ? await service.Client.PostAsync("/api/kernels", null) : await service.Client.PostAsJsonAsync("/api/kernels", body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_post_is_answered_with_the_warm_kernel_for_its_user_and_the_pool_refills()
    {
        await using var service = await TestService.StartAsync("[kernels]\nprespawn = 1\n");
        var warm = await WarmAsync(service);
        Assert.Equal([service.Runtime.DefaultKernelId], await ListedIdsAsync(service));
        var takesBefore = LlmSpellMetrics.KernelStart.WithLabels("prespawn").Count;
        // Truncated to the microseconds the model's timestamps carry.
        var before = new DateTimeOffset(DateTimeOffset.UtcNow.UtcTicks / 10 * 10, TimeSpan.Zero);

        var (status, model) = await PostAsync(service, new { env = new Dictionary<string, string> { ["KERNEL_USERNAME"] = "ada" } });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(warm.Id, model.GetProperty("id").GetString());
        Assert.Equal("ada", model.GetProperty("username").GetString());
        // Handed out now: started and last active now, not when it was prespawned (else the culler would take it at once).
        Assert.True(model.GetProperty("started").GetDateTimeOffset() >= before, model.GetRawText());
        Assert.True(model.GetProperty("last_activity").GetDateTimeOffset() >= before, model.GetRawText());
        Assert.True(warm.StartedAt < before);
        Assert.True(LlmSpellMetrics.KernelStart.WithLabels("prespawn").Count >= takesBefore + 1, "llmspell_kernel_start_seconds counts the take");
        Assert.Contains(warm.Id, await ListedIdsAsync(service));

        var refill = await WarmAsync(service);
        Assert.NotEqual(warm.Id, refill.Id);
        Assert.DoesNotContain(refill.Id, await ListedIdsAsync(service));
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync($"/api/kernels/{refill.Id}")).StatusCode);
    }

    [Fact]
    public async Task Warm_kernels_count_against_max_kernels_but_never_cause_a_refusal()
    {
        using var root = new TempDir();
        var project = Directory.CreateDirectory(Path.Combine(root.Path, "project")).FullName;
        await using var service = await TestService.StartAsync($"[daemon]\nworking_dir = \"{root.Path}\"\n[kernels]\nmax_kernels = 2\nprespawn = 1\n");
        var warm = await WarmAsync(service);

        // Another working directory cannot use the warm kernel: it gives up its place.
        var (elsewhere, cold) = await PostAsync(service, new { env = new Dictionary<string, string> { ["KERNEL_WORKING_DIR"] = project } });
        Assert.Equal(HttpStatusCode.Created, elsewhere);
        Assert.NotEqual(warm.Id, cold.GetProperty("id").GetString());
        await Wait.UntilAsync(() => warm.Stopped.IsCompleted, Timeout, "the evicted warm kernel to stop");
        Assert.Empty(service.Kernels.Warm);

        // Default + one: full, and no warm kernel to hand out.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(service)).Status);

        // A freed place is refilled, and the service's own working directory can use the warm kernel.
        Assert.Equal(HttpStatusCode.NoContent, (await service.Client.DeleteAsync($"/api/kernels/{cold.GetProperty("id").GetString()}")).StatusCode);
        var second = await WarmAsync(service);
        var (status, taken) = await PostAsync(service, new { env = new Dictionary<string, string> { ["KERNEL_WORKING_DIR"] = root.Path } });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(second.Id, taken.GetProperty("id").GetString());
        Assert.Equal(2, (await ListedIdsAsync(service)).Count);
        Assert.Empty(service.Kernels.Warm);
    }

    [Fact]
    public async Task A_reload_replaces_the_warm_kernels_and_lowering_prespawn_stops_them()
    {
        await using var service = await TestService.StartAsync("[kernels]\nprespawn = 2\n");
        var first = await WarmAsync(service, 2);
        File.WriteAllText(service.ConfigFile!, "[kernels]\nprespawn = 1\n");

        var change = Assert.Single(service.Services.GetRequiredService<ConfigStore>().Reload());
        Assert.Equal(ReloadEffect.Live, change.Effect);

        await Wait.UntilAsync(() => first.Stopped.IsCompleted, Timeout, "the warm kernels of the old configuration to stop");
        var replaced = await WarmAsync(service, 1);
        Assert.NotEqual(first.Id, replaced.Id);
    }

    [Fact]
    public async Task Shutdown_stops_the_warm_kernels()
    {
        var service = await TestService.StartAsync("[kernels]\nprespawn = 1\n");
        var warm = await WarmAsync(service);
        await service.DisposeAsync();
        Assert.True(warm.Stopped.IsCompleted, "the warm kernel stopped with the service");
    }
}
