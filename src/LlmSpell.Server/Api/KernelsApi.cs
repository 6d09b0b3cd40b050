using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmSpell.Server.Api;

/// <summary>Jupyter-Server-style kernel resource: /api/kernels.</summary>
public static partial class KernelsApi
{
    public static RouteGroupBuilder MapKernelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/kernels").WithTags("Kernels").ProducesGuardProblems();
        group.MapGet("/", List).WithName("ListKernels").WithSummary("List the kernels this service hosts (in cluster mode: every instance's; X-LlmSpell-Unreachable names instances that did not answer)");
        // No Accepts<T>(): declaring a content type would turn `curl -d ''` (form-encoded) into a 415.
        group.MapPost("/", Start).WithName("StartKernel")
            .WithSummary("Start another kernel on free ports; optional JSON body {\"name\": \"llmspell\", \"env\": {...}} as in Jupyter Server (of env only KERNEL_USERNAME and KERNEL_WORKING_DIR are used)")
            .ProducesProblem(StatusCodes.Status400BadRequest) // invalid body
            .ProducesProblem(StatusCodes.Status403Forbidden) // kernel limit
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable) // cluster mode: no instance has room
            .ProducesBodyProblems();
        // {id} is a kernel id or a unique prefix of one (as docker takes container ids).
        group.MapGet("/{id}", Get).WithName("GetKernel").WithSummary("Get one kernel (by id or unique id prefix)").ProducesNotFound();
        group.MapDelete("/{id}", Stop).WithName("StopKernel").WithSummary("Stop a kernel and remove its connection file").ProducesNotFound();
        group.MapPost("/{id}/interrupt", Interrupt).WithName("InterruptKernel").WithSummary("Interrupt the running execution")
            .ProducesNotFound().ProducesBodyProblems();
        group.MapPost("/{id}/restart", Restart).WithName("RestartKernel").WithSummary("Restart a kernel with a fresh Lua state on the same ports")
            .ProducesNotFound().ProducesBodyProblems();
        return group;
    }

    /// <summary>
    /// In cluster mode (unless asked by a peer) every instance's kernels: the instances that did not answer within the
    /// fan-out timeout are named in the X-LlmSpell-Unreachable header (the body stays Jupyter's plain array).
    /// </summary>
    private static async Task<Ok<KernelModel[]>> List(KernelManager kernels, HttpContext context)
    {
        var local = kernels.All.Select(k => KernelModel.From(k, kernels));
        if (context.RequestServices.GetService<LlmSpell.Server.Cluster.ClusterRouting>() is not { } cluster
            || LlmSpell.Cluster.ClusterForwarder.WasForwarded(context))
            return TypedResults.Ok(local.ToArray());
        var runtime = context.RequestServices.GetRequiredService<ServiceRuntime>();
        var (remote, unreachable) = await cluster.RemoteKernelsAsync(runtime.Key, context.RequestAborted);
        if (unreachable.Count > 0) context.Response.Headers[LlmSpell.Server.Cluster.ClusterRouting.UnreachableHeader] = string.Join(", ", unreachable);
        return TypedResults.Ok(local.Concat(remote).ToArray());
    }

    /// <summary>The body is optional and read leniently: `curl -X POST` or `-d ''` (form-encoded, empty) start a kernel too.</summary>
    private static async Task<Results<Created<KernelModel>, ProblemHttpResult>> Start(KernelManager kernels, ConfigStore config, HttpRequest request,
        ILoggerFactory loggers)
    {
        var launch = KernelLaunch.Default;
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
            launch = KernelLaunch.FromEnvironment(body?.Env, KernelOptionsFromConfig.SandboxRoot(config.Options), out var problem, out var ignored)!;
            if (problem is not null)
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid kernel environment", detail: problem);
            if (ignored is not null) Log.WorkingDirIgnored(loggers.CreateLogger("LlmSpell.Server.Api.KernelsApi"), ignored);
        }
        JupyterKernel kernel;
        try
        {
            kernel = kernels.StartAdditional(launch);
        }
        catch (KernelLimitException e)
        {
            // In a cluster the placement raced another start: the cluster, not this client, is out of room.
            return kernels.ClusterInstance is { } instance
                ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Cluster full",
                    detail: $"Instance {instance} was chosen for the kernel but is full: {e.Message}")
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Kernel limit reached", detail: e.Message);
        }
        return TypedResults.Created($"/api/kernels/{kernel.Id}", KernelModel.From(kernel, kernels));
    }

    private static Results<Ok<KernelModel>, ProblemHttpResult> Get(string id, KernelManager kernels) =>
        Lookup(id, kernels, out var kernel) is { } problem ? problem : TypedResults.Ok(KernelModel.From(kernel!, kernels));

    private static async Task<Results<NoContent, ProblemHttpResult>> Stop(string id, KernelManager kernels)
    {
        if (Lookup(id, kernels, out var kernel) is { } problem) return problem;
        return await kernels.StopAsync(kernel!.Id) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Interrupt(string id, KernelManager kernels)
    {
        if (Lookup(id, kernels, out var kernel) is { } problem) return problem;
        await kernel!.InterruptAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<KernelModel>, ProblemHttpResult>> Restart(string id, KernelManager kernels)
    {
        if (Lookup(id, kernels, out var kernel) is { } problem) return problem;
        await kernel!.RestartAsync();
        return TypedResults.Ok(KernelModel.From(kernel, kernels));
    }

    /// <summary>The kernel an id or unique id prefix names, else the problem to answer (404, or 400 for an ambiguous prefix).</summary>
    internal static ProblemHttpResult? Lookup(string id, KernelManager kernels, out JupyterKernel? kernel)
    {
        var found = kernels.Find(id);
        kernel = found.Kernel;
        if (kernel is not null) return null;
        return found.Ambiguous.Count > 1
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Ambiguous kernel id",
                detail: $"'{id}' is the start of {found.Ambiguous.Count} kernel ids ({string.Join(", ", found.Ambiguous)}); give more of the id.")
            : NotFound(id);
    }

    internal static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Kernel not found",
        detail: $"No kernel with id '{id}' runs in this service. List the running kernels with GET /api/kernels or `llmspell kernel status`.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 2704, Level = LogLevel.Warning, Message = "Starting the kernel in the service's working directory: {Reason}")]
        public static partial void WorkingDirIgnored(ILogger logger, string reason);
    }
}
