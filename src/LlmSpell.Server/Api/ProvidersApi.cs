using LlmSpell.Scripting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Api;

/// <summary>The model providers scripts may call: what is configured and whether its key is present, never the key.</summary>
public static class ProvidersApi
{
    public static RouteGroupBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Providers").ProducesGuardProblems();
        group.MapGet("/providers", List).WithName("ListProviders")
            .WithSummary("Configured model providers: name, type, base_url, default_model, key_source, key_present (never the key)");
        return group;
    }

    private static Ok<List<ProviderModel>> List(ScriptingServices scripting) =>
        TypedResults.Ok(scripting.Llm.Providers.Select(p => new ProviderModel(p.Name, p.Type, p.BaseUrl, p.DefaultModel, p.KeySource, p.KeyPresent)).ToList());
}

/// <summary>One provider as GET /api/providers lists it.</summary>
public sealed record ProviderModel(string Name, string Type, string BaseUrl, string? DefaultModel, string KeySource, bool KeyPresent);
