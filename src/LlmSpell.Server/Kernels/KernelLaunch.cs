using System.Text.RegularExpressions;

namespace LlmSpell.Server.Kernels;

/// <summary>
/// What a client may choose about a kernel it starts: the allow-listed variables of a Jupyter POST /api/kernels body.
/// Jupyter Server sends its whole process environment in "env"; everything but these (PATH, LD_PRELOAD, keys) is ignored.
/// </summary>
public sealed partial record KernelLaunch(string? Username, string? WorkingDirectory)
{
    public const string UsernameVariable = "KERNEL_USERNAME";
    public const string WorkingDirVariable = "KERNEL_WORKING_DIR";

    public static KernelLaunch Default { get; } = new(null, null);

    /// <summary>
    /// Reads the allow-listed variables. KERNEL_WORKING_DIR is used only when it is an existing directory inside
    /// <paramref name="sandboxRoot"/> (symbolic links resolved; relative paths are taken from it). Jupyter Server always
    /// sends its own notebook directory, a path on its machine, so any other value is ignored (the kernel works in the
    /// root) and <paramref name="ignored"/> says why, for the log.
    /// </summary>
    /// <returns>The launch, or null with <paramref name="problem"/> naming the variable and what it must be.</returns>
    public static KernelLaunch? FromEnvironment(IReadOnlyDictionary<string, string?>? env, string sandboxRoot, out string? problem, out string? ignored)
    {
        problem = null;
        ignored = null;
        if (env is null) return Default;
        string? user = null, dir = null;
        if (env.TryGetValue(UsernameVariable, out var u) && !string.IsNullOrEmpty(u))
        {
            if (!UsernamePattern().IsMatch(u))
            {
                problem = $"env.{UsernameVariable} must be 1-64 characters without control characters.";
                return null;
            }
            user = u;
        }
        if (env.TryGetValue(WorkingDirVariable, out var d) && !string.IsNullOrEmpty(d))
            dir = InsideRoot(d, sandboxRoot, out ignored);
        return new KernelLaunch(user, dir);
    }

    private static string? InsideRoot(string requested, string sandboxRoot, out string? problem)
    {
        problem = null;
        var root = Path.GetFullPath(sandboxRoot);
        string full;
        try
        {
            full = Path.GetFullPath(requested, root);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            problem = $"env.{WorkingDirVariable} is not a valid path.";
            return null;
        }
        if (!Directory.Exists(full))
        {
            problem = $"env.{WorkingDirVariable} names no directory: {requested}. Use a directory inside the service's working directory {root}.";
            return null;
        }
        if (!LlmSpell.Lua.SandboxRoot.Contains(root, full))
        {
            problem = $"env.{WorkingDirVariable} is outside the service's working directory {root} (symbolic links included): kernels may only work inside it ([daemon] working_dir).";
            return null;
        }
        return full;
    }

    [GeneratedRegex(@"^[^\p{C}]{1,64}$")]
    private static partial Regex UsernamePattern();
}
