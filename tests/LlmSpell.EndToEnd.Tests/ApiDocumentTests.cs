using System.Text.Json.Nodes;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

/// <summary>The binary under test (Native AOT in the test command) serves Swagger UI and the same OpenAPI document as the committed one.</summary>
public sealed class ApiDocumentTests
{
    [Fact]
    public async Task The_served_openapi_document_equals_the_committed_one_and_swagger_ui_loads()
    {
        await using var service = await ServiceProcess.StartAsync();
        var served = JsonNode.Parse(await service.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(LlmSpellBinary.RepositoryRoot, "openapi", "llmspell.json")))!.AsObject();
        // The running service names its own address; the build-time document has none.
        served.Remove("servers");
        committed.Remove("servers");
        Assert.True(JsonNode.DeepEquals(committed, served), $"served document differs from openapi/llmspell.json:\n{served.ToJsonString()[..Math.Min(2000, served.ToJsonString().Length)]}");

        // Swagger UI's Authorize dialog offers the token schemes the document declares.
        var schemes = served["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal(["bearer", "token"], schemes.Select(s => s.Key).Order(StringComparer.Ordinal));

        var page = await service.GetStringAsync("/swagger/index.html");
        Assert.Contains("swagger-ui", page);
        using var bundle = await service.GetAsync("/swagger/swagger-ui-bundle.js");
        Assert.Equal(System.Net.HttpStatusCode.OK, bundle.StatusCode);
    }
}
