using Microsoft.AspNetCore.Mvc;

namespace LlmSpell.Server.Security;

/// <summary>Writes the security rejections as ProblemDetails; the wording never depends on the secret or how close a guess was.</summary>
internal static class SecurityProblems
{
    public static async Task WriteAsync(IProblemDetailsService service, HttpContext context, int status, string title, string detail,
        IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (extensions is not null) foreach (var (k, v) in extensions) problem.Extensions[k] = v;
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsJsonAsync(problem, Api.ApiJsonContext.Default.ProblemDetails, "application/problem+json");
        }
    }
}
