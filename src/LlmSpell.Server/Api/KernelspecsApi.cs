using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LlmSpell.Server.Api;

/// <summary>
/// Jupyter Server's kernelspecs resource, so a Jupyter Server started with --gateway-url lists and shows the llmspell
/// kernel: /api/kernelspecs and the logos under /kernelspecs/{name}/ (Jupyter Server fetches them with its gateway
/// token, as it fetches everything else).
/// </summary>
public static class KernelspecsApi
{
    /// <summary>Where the resources are served; Jupyter Server's gateway client expects the "/kernelspecs/" segment.</summary>
    public const string ResourcePrefix = "/kernelspecs";

    public static RouteGroupBuilder MapKernelspecsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/kernelspecs").WithTags("Kernelspecs").ProducesGuardProblems();
        group.MapGet("/", List).WithName("ListKernelspecs").WithSummary("The kernelspecs this service runs (Jupyter Server's model) and the default one");
        group.MapGet("/{name}", Get).WithName("GetKernelspec").WithSummary("One kernelspec: name, spec (kernel.json) and resource URLs").ProducesNotFound();
        return group;
    }

    /// <summary>Outside /api, so the rate limiter does not count logo fetches; Host, Origin and the token still apply.</summary>
    public static RouteGroupBuilder MapKernelspecResources(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(ResourcePrefix).WithTags("Kernelspecs")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{name}/{resource}", Resource).WithName("GetKernelspecResource")
            .WithSummary("A kernelspec resource file: logo-32x32.png, logo-64x64.png or logo-svg.svg")
            .ProducesNotFound()
            .AddOpenApiOperationTransformer(DescribeFileResponse);
        return group;
    }

    /// <summary>200 is a file, not JSON: each media type the resources have, as a binary string.</summary>
    private static Task DescribeFileResponse(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "The file",
            Content = KernelSpecResources.All.Select(r => r.ContentType).Distinct()
                .ToDictionary(type => type, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
        };
        return Task.CompletedTask;
    }

    private static KernelSpecModel Model() => new(KernelSpecDefaults.Name,
        KernelSpecDefaults.Spec(KernelSpecDefaults.CurrentExecutable() ?? "llmspell"),
        KernelSpecResources.All.ToDictionary(r => r.Key, r => $"{ResourcePrefix}/{KernelSpecDefaults.Name}/{r.FileName}"));

    private static Ok<KernelSpecList> List() =>
        TypedResults.Ok(new KernelSpecList(KernelSpecDefaults.Name, new Dictionary<string, KernelSpecModel> { [KernelSpecDefaults.Name] = Model() }));

    private static Results<Ok<KernelSpecModel>, ProblemHttpResult> Get(string name) =>
        name == KernelSpecDefaults.Name ? TypedResults.Ok(Model()) : UnknownKernelspec(name);

    private static Results<FileContentHttpResult, ProblemHttpResult> Resource(string name, string resource)
    {
        if (name != KernelSpecDefaults.Name) return UnknownKernelspec(name);
        if (KernelSpecResources.Find(resource) is not { } file)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Kernelspec resource not found",
                detail: $"The kernelspec '{name}' has no resource '{resource}'. It has: {string.Join(", ", KernelSpecResources.All.Select(r => r.FileName))}.");
        return TypedResults.File(KernelSpecResources.Bytes(file), file.ContentType);
    }

    private static ProblemHttpResult UnknownKernelspec(string name) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Kernelspec not found",
        detail: $"No kernelspec named '{name}'. This service runs only '{KernelSpecDefaults.Name}'; list the kernelspecs with GET /api/kernelspecs.");
}
