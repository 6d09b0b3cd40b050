using LlmSpell.Kernel;
using LlmSpell.Server.Kernels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Api;

/// <summary>Jupyter-Server-style kernel resource: /api/kernels.</summary>
public static class KernelsApi
{
    public static RouteGroupBuilder MapKernelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/kernels").WithTags("Kernels").ProducesGuardProblems();
        group.MapGet("/", List).WithName("ListKernels").WithSummary("List the kernels this service hosts");
        // No Accepts<T>(): declaring a content type would turn `curl -d ''` (form-encoded) into a 415.
        group.MapPost("/", Start).WithName("StartKernel")
            .WithSummary("Start another kernel on free ports; optional JSON body {\"name\": \"llmspell\"} as in Jupyter Server")
            .ProducesProblem(StatusCodes.Status400BadRequest) // invalid body
            .ProducesProblem(StatusCodes.Status403Forbidden) // kernel limit
            .ProducesBodyProblems();
        group.MapGet("/{id}", Get).WithName("GetKernel").WithSummary("Get one kernel").ProducesNotFound();
        group.MapDelete("/{id}", Stop).WithName("StopKernel").WithSummary("Stop a kernel and remove its connection file").ProducesNotFound();
        group.MapPost("/{id}/interrupt", Interrupt).WithName("InterruptKernel").WithSummary("Interrupt the running execution")
            .ProducesNotFound().ProducesBodyProblems();
        group.MapPost("/{id}/restart", Restart).WithName("RestartKernel").WithSummary("Restart a kernel with a fresh Lua state on the same ports")
            .ProducesNotFound().ProducesBodyProblems();
        return group;
    }

    private static Ok<KernelModel[]> List(KernelManager kernels) =>
        TypedResults.Ok(kernels.All.Select(k => KernelModel.From(k, kernels.DefaultKernelId)).ToArray());

    /// <summary>The body is optional and read leniently: `curl -X POST` or `-d ''` (form-encoded, empty) start a kernel too.</summary>
    private static async Task<Results<Created<KernelModel>, ProblemHttpResult>> Start(KernelManager kernels, HttpRequest request)
    {
        if (request.HasJsonContentType() && request.ContentLength != 0)
        {
            StartKernelRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync(ApiJsonContext.Default.StartKernelRequest, request.HttpContext.RequestAborted);
            }
            catch (System.Text.Json.JsonException e)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid JSON body",
                    detail: $"{e.Message} Send {{\"name\": \"llmspell\"}} or no body at all.");
            }
            if (body?.Name is { } name && name != "llmspell")
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown kernel name",
                    detail: $"This service runs only the 'llmspell' kernel; got '{name}'. Omit name or use \"llmspell\".");
        }
        JupyterKernel kernel;
        try
        {
            kernel = kernels.StartAdditional();
        }
        catch (KernelLimitException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Kernel limit reached", detail: e.Message);
        }
        return TypedResults.Created($"/api/kernels/{kernel.Id}", KernelModel.From(kernel, kernels.DefaultKernelId));
    }

    private static Results<Ok<KernelModel>, ProblemHttpResult> Get(string id, KernelManager kernels) =>
        kernels.TryGet(id, out var kernel)
            ? TypedResults.Ok(KernelModel.From(kernel, kernels.DefaultKernelId))
            : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> Stop(string id, KernelManager kernels) =>
        await kernels.StopAsync(id) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> Interrupt(string id, KernelManager kernels)
    {
        if (!kernels.TryGet(id, out var kernel)) return NotFound(id);
        await kernel.InterruptAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<KernelModel>, ProblemHttpResult>> Restart(string id, KernelManager kernels)
    {
        if (!kernels.TryGet(id, out var kernel)) return NotFound(id);
        await kernel.RestartAsync();
        return TypedResults.Ok(KernelModel.From(kernel, kernels.DefaultKernelId));
    }

    internal static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Kernel not found",
        detail: $"No kernel with id '{id}' runs in this service. List the running kernels with GET /api/kernels or `llmspell kernel status`.");
}
