namespace LlmSpell.Service.Tests.Support;

/// <summary>Runs `systemd-analyze verify` on a unit file and returns the lines that concern it.</summary>
internal static class SystemdVerifier
{
    public static (int ExitCode, IReadOnlyList<string> Problems) Verify(string unitPath, bool user, string? runtimeDir = null)
    {
        var arguments = user ? new[] { "verify", "--user", unitPath } : ["verify", unitPath];
        var environment = new Dictionary<string, string>();
        if (runtimeDir is not null)
        {
            // The user manager refuses to start without a runtime directory.
            environment["XDG_RUNTIME_DIR"] = runtimeDir;
        }

        var result = ExternalTool.Run("systemd-analyze", arguments, environment);
        var name = Path.GetFileName(unitPath);
        var problems = (result.StandardOutput + "\n" + result.StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(name, StringComparison.Ordinal) || result.ExitCode != 0)
            .ToList();
        return (result.ExitCode, problems);
    }
}
