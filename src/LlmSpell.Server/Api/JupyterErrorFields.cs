namespace LlmSpell.Server.Api;

/// <summary>
/// Adds Jupyter Server's error fields to every ProblemDetails the service writes: "reason" (the title) and "message"
/// (the detail). Jupyter Server writes its own API errors as {"reason", "message"}, and its gateway client (2.x) reads
/// those two from a gateway's error body to show the user, so a Jupyter Server in front of this service shows our
/// words, not a bare status code.
/// </summary>
public static class JupyterErrorFields
{
    public static void Add(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["reason"] = problem.Title;
        problem.Extensions["message"] = problem.Detail ?? problem.Title;
    }
}
