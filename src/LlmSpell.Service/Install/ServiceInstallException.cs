namespace LlmSpell.Service.Install;

/// <summary>An install/uninstall failure with a user-facing message (the CLI prints it and exits non-zero).</summary>
public sealed class ServiceInstallException : Exception
{
    public ServiceInstallException(string message)
        : base(message)
    {
    }
}
