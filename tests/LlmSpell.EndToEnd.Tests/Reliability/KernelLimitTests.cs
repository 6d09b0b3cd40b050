using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Security;

namespace LlmSpell.EndToEnd.Tests.Reliability;

/// <summary>[kernels] max_kernels against the real binary: a flood of kernel starts gets 201 or 403, never 500.</summary>
public sealed class KernelLimitTests
{
    private static HttpRequestMessage Post(SecuredService service) =>
        new(HttpMethod.Post, new Uri(service.BaseUrl, "/api/kernels")) { Headers = { Authorization = new AuthenticationHeaderValue("token", service.Token) } };

    [Fact]
    public async Task A_hundred_kernel_starts_under_the_derived_default_are_201_or_403_and_the_service_stays_healthy()
    {
        await using var service = await SecuredService.StartAsync();
        var statuses = new List<HttpStatusCode>();
        string? refusal = null;
        for (var i = 0; i < 100; i++)
        {
            using var response = await service.Http.SendAsync(Post(service));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Forbidden) refusal ??= await response.Content.ReadAsStringAsync();
        }
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Forbidden, $"got {(int)s}\n{service.Output}"));
        Assert.Contains(HttpStatusCode.Forbidden, statuses);
        Assert.Contains("max_kernels", refusal);
        Assert.DoesNotContain("NetMQException", service.Output);
        Assert.True(await service.IsHealthyAsync(), service.Output);
    }

    [Fact]
    public async Task A_configured_max_kernels_counts_the_default_kernel()
    {
        await using var service = await SecuredService.StartAsync("[kernels]\nmax_kernels = 2\n");
        using var first = await service.Http.SendAsync(Post(service));
        using var second = await service.Http.SendAsync(Post(service));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Contains("max_kernels = 2", problem.RootElement.GetProperty("detail").GetString());
    }
}
