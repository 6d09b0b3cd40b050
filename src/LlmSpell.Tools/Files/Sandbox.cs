namespace LlmSpell.Tools.Files;

/// <summary>
/// Confines paths to a working directory. A path is made absolute and normalized (so <c>..</c> cannot climb out), then
/// every symbolic link on it is resolved; the result must still lie inside the working directory's own real path. Callers
/// use the resolved path, whose components are no links, so the operating system cannot follow one out either.
/// (A process that swaps a directory for a link between the check and the use is outside what this defends against.)
/// </summary>
internal sealed class Sandbox
{
    private const int MaxLinkHops = 40; // as Linux's ELOOP limit

    private readonly string _lexicalRoot;

    public Sandbox(string workingDirectory)
    {
        _lexicalRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingDirectory));
        if (!Directory.Exists(_lexicalRoot))
            throw new SandboxError($"the working directory '{_lexicalRoot}' does not exist; create it or configure another one");
        Root = Canonicalize(_lexicalRoot, 0);
    }

    /// <summary>The working directory's real path (no symbolic links on it).</summary>
    public string Root { get; }

    /// <summary>
    /// The real path of <paramref name="requested"/> (relative to the working directory, or absolute inside it). With
    /// <paramref name="followFinalLink"/> false a link as the last component stays itself (to delete the link, not its target).
    /// </summary>
    public string Resolve(string requested, bool followFinalLink = true)
    {
        if (requested.Length == 0) throw new SandboxError("the path is empty; use \".\" for the working directory");
        if (requested.Contains('\0')) throw new SandboxError("the path contains a NUL character");

        string full;
        if (Path.IsPathRooted(requested))
        {
            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(requested));
            if (IsInside(full, _lexicalRoot)) full = Path.Join(Root, Path.GetRelativePath(_lexicalRoot, full));
            else if (!IsInside(full, Root))
                throw new SandboxError($"the absolute path '{requested}' is outside the working directory; use a path relative to it");
        }
        else
        {
            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Join(Root, requested)));
            if (!IsInside(full, Root))
                throw new SandboxError($"the path '{requested}' leaves the working directory (through '..'); stay inside it");
        }
        full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(full));

        var real = followFinalLink || full == Root
            ? Canonicalize(full, 0)
            : Path.Join(Canonicalize(Path.GetDirectoryName(full)!, 0), Path.GetFileName(full));
        if (!IsInside(real, Root))
            throw new SandboxError($"the path '{requested}' goes through a symbolic link that leads outside the working directory");
        return real;
    }

    /// <summary>How results name a path: relative to the working directory, "." for itself.</summary>
    public string Display(string real) => Path.GetRelativePath(Root, real);

    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root == "/" ? root : root + "/", StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="path"/> (absolute, normalized) with every symbolic link among its existing components replaced by
    /// its target, recursively; components that do not exist are kept as they are.
    /// </summary>
    private static string Canonicalize(string path, int hops)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        for (var i = 0; i < parts.Length; i++)
        {
            var candidate = Path.Join(current, parts[i]);
            var target = LinkTarget(candidate);
            if (target is null)
            {
                current = candidate;
                continue;
            }
            if (++hops > MaxLinkHops) throw new SandboxError($"too many levels of symbolic links at '{candidate}'");
            var resolved = Path.IsPathRooted(target) ? target : Path.Join(current, target);
            return Canonicalize(Path.GetFullPath(Path.Join([resolved, .. parts[(i + 1)..]])), hops);
        }
        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null; // a component below a regular file: nothing there to follow
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>A path the sandbox refuses; the message says why.</summary>
internal sealed class SandboxError(string message) : Exception(message);
