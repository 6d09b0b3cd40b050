namespace LlmSpell.Server.Config;

public enum ProblemSeverity { Warning, Error }

/// <summary>Where a configuration value came from (file, 1-based line and column), when known.</summary>
public sealed record ConfigLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>One configuration problem, worded for the operator: where, which key, what is wrong and what is expected.</summary>
public sealed record ConfigProblem(ProblemSeverity Severity, string? Key, string Message, ConfigLocation? Location = null)
{
    public override string ToString()
    {
        var where = Location is null ? "" : Location + ": ";
        var key = Key is null ? "" : $"{Key}: ";
        return $"{(Severity == ProblemSeverity.Error ? "error" : "warning")}: {where}{key}{Message}";
    }
}

/// <summary>Thrown when the configuration cannot be used; carries every problem found.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigProblem> problems)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;
}
