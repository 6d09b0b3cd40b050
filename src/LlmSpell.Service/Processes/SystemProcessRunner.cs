using System.Diagnostics;

namespace LlmSpell.Service.Processes;

/// <summary>Runs tools found on PATH (or on an explicit search path) and captures their output.</summary>
public sealed class SystemProcessRunner : IProcessRunner
{
    private readonly string? _searchPath;
    private readonly TimeSpan _timeout;

    /// <param name="searchPath">Colon-separated directories; null uses the PATH variable.</param>
    public SystemProcessRunner(string? searchPath = null, TimeSpan? timeout = null)
    {
        _searchPath = searchPath;
        _timeout = timeout ?? TimeSpan.FromMinutes(2);
    }

    public bool CanFind(string tool) => Resolve(tool) is not null;

    public ProcessRunResult Run(string tool, IReadOnlyList<string> arguments)
    {
        var executable = Resolve(tool);
        if (executable is null)
        {
            return ProcessRunResult.NotFound;
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(_timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new ProcessRunResult(true, -1, stdout.Result, $"{tool} did not finish within {_timeout.TotalSeconds} s\n{stderr.Result}");
        }

        return new ProcessRunResult(true, process.ExitCode, stdout.Result, stderr.Result);
    }

    private string? Resolve(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(tool) ? tool : null;
        }

        var path = _searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
