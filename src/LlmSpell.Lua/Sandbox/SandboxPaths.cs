using System.Diagnostics.CodeAnalysis;

namespace LlmSpell.Lua;

/// <summary>
/// Where the sandboxed file functions may go: every path a script passes is resolved against the working
/// directory and, when confined, must stay inside it, also through symbolic links that already exist.
/// </summary>
internal sealed class SandboxPaths(string root, bool confine, string refusalSuffix)
{
    /// <summary>The absolute working directory.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    public bool TryResolve(string path, [NotNullWhen(true)] out string? full, [NotNullWhen(false)] out string? error)
    {
        full = null;
        error = null;
        try
        {
            if (path.Contains('\0'))
            {
                error = "invalid path";
                return false;
            }
            string candidate = Path.GetFullPath(path, Root);
            if (confine && !IsInside(candidate, Root))
            {
                error = $"access to '{path}' is denied by the sandbox: it is outside the working directory '{Root}'{refusalSuffix}";
                return false;
            }
            full = candidate;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            error = $"invalid path '{path}': {ex.Message}";
            return false;
        }
    }

    /// <summary>Whether the absolute <paramref name="candidate"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsInside(string candidate, string root)
    {
        string r = Path.TrimEndingDirectorySeparator(root);
        if (!IsUnder(candidate, r))
            return false;
        // An existing link below the root may point anywhere; a path is only inside if every link on it stays inside.
        for (string? dir = candidate; dir is not null && dir.Length > r.Length; dir = Path.GetDirectoryName(dir))
        {
            FileSystemInfo info = Directory.Exists(dir) ? new DirectoryInfo(dir) : new FileInfo(dir);
            if (info.Exists && info.LinkTarget is not null)
            {
                string? target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (target is null || !IsUnder(target, r))
                    return false;
            }
        }
        return true;
    }

    private static bool IsUnder(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal) ||
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}

/// <summary>The sandbox's confinement rule for callers outside the Lua layer (a kernel's working directory).</summary>
public static class SandboxRoot
{
    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it, through any symbolic links on the way.</summary>
    public static bool Contains(string root, string path) => SandboxPaths.IsInside(Path.GetFullPath(path), Path.GetFullPath(root));
}
