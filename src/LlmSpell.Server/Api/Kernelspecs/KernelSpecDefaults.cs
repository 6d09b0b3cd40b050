namespace LlmSpell.Server.Api;

/// <summary>
/// The llmspell kernelspec, in one place for both readers: `kernel install-kernelspec` writes it as kernel.json (with
/// the logos beside it) and GET /api/kernelspecs serves it to a Jupyter Server started with --gateway-url.
/// </summary>
public static class KernelSpecDefaults
{
    public const string Name = "llmspell";
    public const string DisplayName = "Lua 5.4 (LLMSpell)";
    public const string Language = "lua";
    /// <summary>Interrupts arrive as interrupt_request on the control channel, never as SIGINT.</summary>
    public const string InterruptMode = "message";

    /// <summary>How Jupyter launches a kernel from the spec: this binary runs one kernel on the given connection file.</summary>
    public static string[] Argv(string executable) => [executable, "kernel", "run", "--connection-file", "{connection_file}"];

    public static KernelSpec Spec(string executable, string displayName = DisplayName) =>
        new(Argv(executable), displayName, Language, InterruptMode, new KernelSpecMetadata(Debugger: false), new Dictionary<string, string>());

    /// <summary>
    /// The absolute path of the running llmspell executable (the apphost when run as `dotnet llmspell.dll` and it
    /// sits beside the dll); null when it cannot be known.
    /// </summary>
    public static string? CurrentExecutable()
    {
        var process = Environment.ProcessPath;
        if (process is null) return null;
        if (!Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return Path.GetFullPath(process);
        var apphost = Path.Combine(AppContext.BaseDirectory, "llmspell");
        return File.Exists(apphost) ? apphost : null;
    }
}
