using System.Net;
using System.Text.Json;
using LlmSpell.Server.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LlmSpell.Server.Tests.Api;

public class ServiceApiTests
{
    [Fact]
    public async Task Status_names_the_service_and_never_the_secret()
    {
        await using var service = await TestService.StartAsync("[security]\nhmac_key = \"s3cret-key-value\"\n");

        var text = await service.Client.GetStringAsync("/api/status");

        using var status = JsonDocument.Parse(text);
        Assert.Equal(service.Runtime.ServiceId, status.RootElement.GetProperty("id").GetString());
        Assert.Equal("running", status.RootElement.GetProperty("state").GetString());
        Assert.Equal(service.ConfigFile, status.RootElement.GetProperty("config_file").GetString());
        Assert.Equal("info", status.RootElement.GetProperty("log_level").GetString());
        Assert.Single(status.RootElement.GetProperty("kernels").EnumerateArray());
        Assert.DoesNotContain("s3cret-key-value", text);
    }

    [Fact]
    public async Task Stats_count_requests_and_report_process_gauges()
    {
        await using var service = await TestService.StartAsync();
        await service.Client.GetAsync("/health");
        await service.Client.GetAsync("/health");

        using var stats = JsonDocument.Parse(await service.Client.GetStringAsync("/api/stats"));
        var root = stats.RootElement;
        Assert.True(root.GetProperty("requests").GetInt64() >= 2);
        Assert.Equal(1, root.GetProperty("kernels").GetInt32());
        Assert.True(root.GetProperty("working_set_bytes").GetInt64() > 0);
        Assert.True(root.GetProperty("threads").GetInt32() > 0);
        foreach (var field in new[] { "uptime_seconds", "executions", "execution_errors", "gen0_collections", "managed_heap_bytes", "request_errors" })
            Assert.True(root.TryGetProperty(field, out _), $"stats lack {field}");
    }

    [Fact]
    public async Task Reload_applies_the_log_level_and_rejects_an_invalid_file_with_422()
    {
        await using var service = await TestService.StartAsync("[logging]\nlog_level = \"info\"\n");

        File.WriteAllText(service.ConfigFile!, "[logging]\nlog_level = \"debug\"\n");
        var ok = await service.Client.PostAsync("/api/reload", null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()))
        {
            var change = Assert.Single(body.RootElement.GetProperty("changes").EnumerateArray());
            Assert.Equal("logging.log_level", change.GetProperty("key").GetString());
            Assert.Equal("live", change.GetProperty("applied").GetString());
        }

        File.WriteAllText(service.ConfigFile!, "[logging]\nlog_level = [\n");
        var bad = await service.Client.PostAsync("/api/reload", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        using (var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()))
        {
            Assert.Contains("kernel.toml:", problem.RootElement.GetProperty("detail").GetString());
            Assert.NotEmpty(problem.RootElement.GetProperty("problems").EnumerateArray());
        }

        using var status = JsonDocument.Parse(await service.Client.GetStringAsync("/api/status"));
        Assert.Equal("debug", status.RootElement.GetProperty("log_level").GetString());
    }

    [Fact]
    public async Task Shutdown_is_accepted_and_stops_the_host()
    {
        await using var service = await TestService.StartAsync();
        var lifetime = service.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource();
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());

        var response = await service.Client.PostAsync("/api/shutdown", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
