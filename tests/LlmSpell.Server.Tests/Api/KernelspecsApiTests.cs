using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using LlmSpell.Server.Api;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Api;

/// <summary>The kernelspecs resource in Jupyter Server's shapes, as a Jupyter Server started with --gateway-url reads it.</summary>
public class KernelspecsApiTests
{
    [Fact]
    public async Task Kernelspecs_list_and_one_spec_follow_jupyter_server_shapes()
    {
        await using var service = await TestService.StartAsync();

        using var list = JsonDocument.Parse(await service.Client.GetStringAsync("/api/kernelspecs"));
        Assert.Equal("llmspell", list.RootElement.GetProperty("default").GetString());
        var specs = list.RootElement.GetProperty("kernelspecs");
        var llmspell = Assert.Single(specs.EnumerateObject());
        Assert.Equal("llmspell", llmspell.Name);
        AssertModel(llmspell.Value);

        using var one = JsonDocument.Parse(await service.Client.GetStringAsync("/api/kernelspecs/llmspell"));
        AssertModel(one.RootElement);
        Assert.True(JsonElement.DeepEquals(llmspell.Value, one.RootElement), "GET /api/kernelspecs/llmspell differs from the listed spec");
    }

    private static void AssertModel(JsonElement model)
    {
        Assert.Equal("llmspell", model.GetProperty("name").GetString());
        var spec = model.GetProperty("spec");
        var argv = spec.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray();
        Assert.Equal(KernelSpecDefaults.Argv(argv[0]), argv);
        Assert.Equal(["kernel", "run", "--connection-file", "{connection_file}"], argv[1..]);
        Assert.Equal(KernelSpecDefaults.DisplayName, spec.GetProperty("display_name").GetString());
        Assert.Equal("lua", spec.GetProperty("language").GetString());
        Assert.Equal("message", spec.GetProperty("interrupt_mode").GetString());
        Assert.False(spec.GetProperty("metadata").GetProperty("debugger").GetBoolean());
        Assert.Equal(JsonValueKind.Object, spec.GetProperty("env").ValueKind);
        var resources = model.GetProperty("resources");
        Assert.Equal("/kernelspecs/llmspell/logo-32x32.png", resources.GetProperty("logo-32x32").GetString());
        Assert.Equal("/kernelspecs/llmspell/logo-64x64.png", resources.GetProperty("logo-64x64").GetString());
        Assert.Equal("/kernelspecs/llmspell/logo-svg.svg", resources.GetProperty("logo-svg").GetString());
    }

    [Fact]
    public async Task Unknown_kernelspec_is_a_404_problem_naming_the_known_one()
    {
        await using var service = await TestService.StartAsync();
        foreach (var path in new[] { "/api/kernelspecs/python3", "/kernelspecs/python3/logo-64x64.png" })
        {
            using var response = await service.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Kernelspec not found", problem.RootElement.GetProperty("title").GetString());
            var detail = problem.RootElement.GetProperty("detail").GetString()!;
            Assert.Contains("'python3'", detail);
            Assert.Contains("'llmspell'", detail);
            Assert.Contains("GET /api/kernelspecs", detail);
        }
    }

    [Theory]
    [InlineData("logo-32x32", 32)]
    [InlineData("logo-64x64", 64)]
    public async Task Listed_png_logos_are_served_as_png_of_their_size(string key, int size)
    {
        await using var service = await TestService.StartAsync();
        using var spec = JsonDocument.Parse(await service.Client.GetStringAsync("/api/kernelspecs/llmspell"));
        var url = spec.RootElement.GetProperty("resources").GetProperty(key).GetString()!;

        using var response = await service.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var (width, height) = Png.Size(await response.Content.ReadAsByteArrayAsync(), url);
        Assert.Equal((size, size), (width, height));
    }

    [Fact]
    public async Task Svg_logo_is_served_as_svg()
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.Client.GetAsync("/kernelspecs/llmspell/logo-svg.svg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Name);
        Assert.Equal("0 0 64 64", svg.Attribute("viewBox")?.Value);
    }

    [Fact]
    public async Task Unknown_resource_is_a_404_problem_listing_the_resources()
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.Client.GetAsync("/kernelspecs/llmspell/kernel.js");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("kernel.js", detail);
        Assert.Contains("logo-64x64.png", detail);
    }

    [Theory]
    [InlineData("/api/kernelspecs")]
    [InlineData("/api/kernelspecs/llmspell")]
    [InlineData("/kernelspecs/llmspell/logo-64x64.png")]
    public async Task Kernelspecs_and_their_resources_need_the_token(string path)
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.CreateUnauthenticatedClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_root_answers_the_version_without_the_token_as_jupyter_server_does()
    {
        await using var service = await TestService.StartAsync();
        using var response = await service.CreateUnauthenticatedClient().GetAsync("/api");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ServiceRuntime.Version, Assert.Single(body.RootElement.EnumerateObject(), p => p.Name == "version").Value.GetString());
        Assert.Single(body.RootElement.EnumerateObject());
    }

    [Fact]
    public void Embedded_logos_are_pngs_of_the_size_their_name_says()
    {
        foreach (var (file, size) in new[] { ("logo-32x32.png", 32), ("logo-64x64.png", 64) })
            Assert.Equal((size, size), Png.Size(KernelSpecResources.Bytes(KernelSpecResources.Find(file)!), file));
    }
}
