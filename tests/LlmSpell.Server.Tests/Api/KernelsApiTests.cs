using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Api;

public class KernelsApiTests
{
    [Fact]
    public async Task Kernel_resource_follows_jupyter_server_shapes()
    {
        await using var service = await TestService.StartAsync();
        var client = service.Client;

        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/kernels"));
        var first = Assert.Single(list.RootElement.EnumerateArray());
        foreach (var field in new[] { "id", "name", "last_activity", "execution_state", "connections" })
            Assert.True(first.TryGetProperty(field, out _), $"kernel model lacks {field}");
        Assert.True(first.GetProperty("default").GetBoolean());
        Assert.Equal("llmspell", first.GetProperty("name").GetString());

        var created = await client.PostAsJsonAsync("/api/kernels", new { name = "llmspell" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var model = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = model.RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/kernels/{id}", created.Headers.Location!.OriginalString);
        var connectionFile = model.RootElement.GetProperty("connection_file").GetString()!;
        Assert.True(File.Exists(connectionFile), "the new kernel's connection file exists");
        Assert.NotEqual(first.GetProperty("ports").GetProperty("shell").GetInt32(), model.RootElement.GetProperty("ports").GetProperty("shell").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/kernels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/kernels/{id}/interrupt", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/kernels/{id}/restart", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/kernels/{id}")).StatusCode);
        Assert.False(File.Exists(connectionFile), "stopping a kernel removes its connection file");

        var gone = await client.GetAsync($"/api/kernels/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await gone.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(id, problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Starts_beyond_max_kernels_are_refused_with_a_403_problem_and_a_stop_frees_a_place()
    {
        await using var service = await TestService.StartAsync("[kernels]\nmax_kernels = 2\n");
        var client = service.Client;
        var second = await client.PostAsync("/api/kernels", null);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        var refused = await client.PostAsync("/api/kernels", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("max_kernels = 2", problem.RootElement.GetProperty("detail").GetString());
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/kernels"));
        Assert.Equal(2, list.RootElement.GetArrayLength());

        using var created = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/kernels/{created.RootElement.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/kernels", null)).StatusCode);
    }

    [Theory]
    [InlineData("DELETE", "/api/kernels/missing")]
    [InlineData("POST", "/api/kernels/missing/interrupt")]
    [InlineData("POST", "/api/kernels/missing/restart")]
    public async Task Unknown_kernel_is_a_404_problem(string method, string path)
    {
        await using var service = await TestService.StartAsync();
        var response = await service.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Unknown_route_is_a_problem_too()
    {
        await using var service = await TestService.StartAsync();
        var response = await service.Client.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Start_accepts_no_body_or_an_empty_form_and_refuses_other_kernel_names()
    {
        await using var service = await TestService.StartAsync();
        var client = service.Client;

        var empty = await client.PostAsync("/api/kernels", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Created, empty.StatusCode);
        var none = await client.PostAsync("/api/kernels", null);
        Assert.Equal(HttpStatusCode.Created, none.StatusCode);

        var other = await client.PostAsJsonAsync("/api/kernels", new { name = "python3" });
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.Contains("python3", await other.Content.ReadAsStringAsync());

        var broken = await client.PostAsync("/api/kernels", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/kernels"));
        Assert.Equal(3, list.RootElement.GetArrayLength());
    }
}
