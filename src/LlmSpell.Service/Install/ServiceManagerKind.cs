namespace LlmSpell.Service.Install;

/// <summary>The --service-type choice.</summary>
public enum ServiceManagerKind
{
    Auto,
    Systemd,
    Launchd,
}
