namespace LlmSpell.Service.Processes;

/// <summary>Result of running an external tool; <see cref="ToolFound"/> is false when it is not installed.</summary>
public sealed record ProcessRunResult(bool ToolFound, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ToolFound && ExitCode == 0;

    public static ProcessRunResult NotFound { get; } = new(false, -1, string.Empty, string.Empty);
}

/// <summary>Runs systemctl/launchctl; injectable so installers can be tested with a controlled PATH.</summary>
public interface IProcessRunner
{
    ProcessRunResult Run(string tool, IReadOnlyList<string> arguments);

    /// <summary>True when <paramref name="tool"/> can be found (absolute path or on the search path).</summary>
    bool CanFind(string tool);
}
