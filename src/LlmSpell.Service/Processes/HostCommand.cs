namespace LlmSpell.Service.Processes;

/// <summary>
/// How to re-run the current program: the executable plus any leading arguments
/// (the dll path when the app runs as <c>dotnet llmspell.dll</c>).
/// </summary>
public sealed record HostCommand(string Executable, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The full argv prefix: executable followed by <see cref="PrefixArguments"/>.</summary>
    public IReadOnlyList<string> ToArgv() => [Executable, .. PrefixArguments];

    /// <param name="processPath">Usually <see cref="Environment.ProcessPath"/>.</param>
    /// <param name="entryAssemblyPath">The app's dll, needed only when <paramref name="processPath"/> is the dotnet host.</param>
    public static HostCommand Resolve(string processPath, string? entryAssemblyPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(processPath);
        var executable = Path.GetFullPath(processPath);
        if (!IsDotnetHost(executable))
        {
            return new HostCommand(executable, []);
        }

        if (string.IsNullOrEmpty(entryAssemblyPath))
        {
            throw new ArgumentException(
                $"{executable} is the dotnet host; the application dll path is required to re-run it", nameof(entryAssemblyPath));
        }

        return new HostCommand(executable, [Path.GetFullPath(entryAssemblyPath)]);
    }

    /// <summary>Resolves the running process (including <c>dotnet app.dll</c>).</summary>
    public static HostCommand Current()
    {
        var processPath = Environment.ProcessPath
            ?? throw new InvalidOperationException("The path of the running executable is unknown");
        return Resolve(processPath, EntryAssemblyPath());
    }

    /// <summary>
    /// The app's dll when it runs as <c>dotnet llmspell.dll</c> (argv[0] is then the dll); null for a native or
    /// apphost executable, where Assembly.Location would be empty anyway (Native AOT, single file).
    /// </summary>
    public static string? EntryAssemblyPath()
    {
        var first = Environment.GetCommandLineArgs().FirstOrDefault();
        return first is not null && first.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(first) ? Path.GetFullPath(first) : null;
    }

    private static bool IsDotnetHost(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
