using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Api;

/// <summary>What Jupyter Server's GatewayClient needs of the kernel resource: UUID ids, its timestamp format, the env allow-list.</summary>
public class KernelGatewayModelTests
{
    [Fact]
    public async Task Kernel_ids_are_uuids_and_timestamps_have_six_fractional_digits_and_z()
    {
        await using var service = await TestService.StartAsync();
        var created = await service.Client.PostAsJsonAsync("/api/kernels", new { name = "llmspell" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var list = JsonDocument.Parse(await service.Client.GetStringAsync("/api/kernels"));
        Assert.Equal(2, list.RootElement.GetArrayLength());
        foreach (var kernel in list.RootElement.EnumerateArray())
        {
            var id = kernel.GetProperty("id").GetString()!;
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", id);
            foreach (var field in new[] { "last_activity", "started" })
            {
                var text = kernel.GetProperty(field).GetString()!;
                // Python's datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ"), which Jupyter Server applies.
                Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", text);
                var parsed = DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
                Assert.InRange((DateTime.UtcNow - parsed).TotalMinutes, -1, 5);
            }
        }
    }

    [Fact]
    public async Task A_unique_id_prefix_names_a_kernel_and_an_ambiguous_one_is_a_400_listing_the_matches()
    {
        await using var service = await TestService.StartAsync();
        var id = service.Runtime.DefaultKernelId;
        using (var one = JsonDocument.Parse(await service.Client.GetStringAsync($"/api/kernels/{id[..6]}")))
            Assert.Equal(id, one.RootElement.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync($"/api/kernels/{id.ToUpperInvariant()}")).StatusCode);

        // Start kernels until two share a first hex digit: a one-character prefix is then ambiguous.
        var ids = new List<string> { id };
        while (ids.GroupBy(k => k[0]).All(g => g.Count() < 2))
        {
            using var created = JsonDocument.Parse(await (await service.Client.PostAsync("/api/kernels", null)).Content.ReadAsStringAsync());
            ids.Add(created.RootElement.GetProperty("id").GetString()!);
        }
        var shared = ids.GroupBy(k => k[0]).First(g => g.Count() > 1);
        var response = await service.Client.GetAsync($"/api/kernels/{shared.Key}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        foreach (var match in shared) Assert.Contains(match, detail);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.DeleteAsync("/api/kernels/zzzz")).StatusCode);
    }

    [Fact]
    public async Task Of_the_posted_env_only_kernel_username_and_a_working_dir_inside_the_sandbox_are_used_and_other_dirs_are_ignored()
    {
        using var root = new TempDir();
        var inside = Directory.CreateDirectory(Path.Combine(root.Path, "project")).FullName;
        using var outside = new TempDir();
        await using var service = await TestService.StartAsync($"[daemon]\nworking_dir = \"{root.Path}\"\n");

        var created = await service.Client.PostAsJsonAsync("/api/kernels", new
        {
            name = "llmspell",
            env = new Dictionary<string, string>
            {
                ["KERNEL_USERNAME"] = "ada",
                ["KERNEL_WORKING_DIR"] = inside,
                ["PATH"] = "/evil", ["LD_PRELOAD"] = "/evil.so", ["OPENAI_API_KEY"] = "sk-not-for-kernels",
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var model = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal("ada", model.RootElement.GetProperty("username").GetString());
        var kernel = service.Kernels.Find(model.RootElement.GetProperty("id").GetString()!).Kernel!;
        Assert.Equal(inside, kernel.Options.Lua.WorkingDirectory);
        Assert.DoesNotContain("sk-not-for-kernels", model.RootElement.GetRawText());

        // Jupyter Server always sends its own notebook directory: a path outside the sandbox (or missing here) is
        // ignored, never honoured, and the kernel works in the service's working directory.
        foreach (var dir in new[] { outside.Path, "../..", Path.Combine(root.Path, "missing"), "escape" })
        {
            if (dir == "escape") File.CreateSymbolicLink(Path.Combine(root.Path, "escape"), outside.Path);
            var started = await service.Client.PostAsJsonAsync("/api/kernels", new { env = new Dictionary<string, string> { ["KERNEL_WORKING_DIR"] = dir } });
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            using var body = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
            var confined = service.Kernels.Find(body.RootElement.GetProperty("id").GetString()!).Kernel!;
            Assert.Equal(root.Path, confined.Options.Lua.WorkingDirectory);
        }
        var badUser = await service.Client.PostAsJsonAsync("/api/kernels", new { env = new Dictionary<string, string> { ["KERNEL_USERNAME"] = "ada\nINFO forged" } });
        Assert.Equal(HttpStatusCode.BadRequest, badUser.StatusCode);
        Assert.Contains("KERNEL_USERNAME", await badUser.Content.ReadAsStringAsync());
    }
}
