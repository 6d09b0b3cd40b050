namespace LlmSpell.Service;

/// <summary>
/// A start-up failure whose <see cref="Exception.Message"/> is meant for the user as-is:
/// the CLI prints it and exits non-zero.
/// </summary>
public sealed class ServiceStartException : Exception
{
    public ServiceStartException(string message)
        : base(message)
    {
    }

    public ServiceStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
