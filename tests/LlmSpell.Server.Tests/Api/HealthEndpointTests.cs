using System.Net;
using System.Text.Json;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Api;

public class HealthEndpointTests
{
    [Fact]
    public async Task Health_reports_status_version_uptime_pid_and_kernel_states()
    {
        await using var service = await TestService.StartAsync();

        var response = await service.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.Equal("0.9.0", root.GetProperty("version").GetString());
        Assert.True(root.GetProperty("uptime_seconds").GetDouble() >= 0);
        Assert.Equal(Environment.ProcessId, root.GetProperty("pid").GetInt32());
        var kernel = Assert.Single(root.GetProperty("kernels").EnumerateArray());
        Assert.Equal(service.Runtime.DefaultKernelId, kernel.GetProperty("id").GetString());
        Assert.Equal("idle", kernel.GetProperty("execution_state").GetString());
    }

    [Fact]
    public async Task Ready_is_200_with_a_default_kernel_and_503_without_one()
    {
        await using var service = await TestService.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await service.Client.DeleteAsync($"/api/kernels/{service.Runtime.DefaultKernelId}")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/health/ready")).StatusCode);
        using var health = JsonDocument.Parse(await service.Client.GetStringAsync("/health"));
        Assert.Equal("degraded", health.RootElement.GetProperty("status").GetString());
    }
}
