namespace LlmSpell.Cli;

/// <summary>Process exit codes, stable for scripts and service managers.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The operation failed at run time (port in use, start failed, server error).</summary>
    public const int Failure = 1;
    /// <summary>Bad configuration or command-line usage.</summary>
    public const int InvalidConfiguration = 2;
    /// <summary>No service answered at the address (connection refused).</summary>
    public const int NotRunning = 3;
    /// <summary>The requested kernel or service was not found.</summary>
    public const int NotFound = 4;
}

/// <summary>A failure worded for the user; the CLI prints the message (no stack trace) and exits with the code.</summary>
public sealed class UserFacingException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
