using LlmSpell.Service.Processes;

namespace LlmSpell.Service.Install;

/// <summary>Resolves --service-type auto: systemd on Linux hosts that run it, launchd on macOS.</summary>
public static class ServiceManagerDetector
{
    public static ServiceManagerKind Resolve(
        ServiceManagerKind requested, IProcessRunner runner, bool? isMacOS = null, string systemdRunDir = "/run/systemd/system")
    {
        if (requested != ServiceManagerKind.Auto)
        {
            return requested;
        }

        if (isMacOS ?? OperatingSystem.IsMacOS())
        {
            return ServiceManagerKind.Launchd;
        }

        if (Directory.Exists(systemdRunDir) || runner.CanFind("systemctl"))
        {
            return ServiceManagerKind.Systemd;
        }

        throw new ServiceInstallException(
            "Cannot detect a service manager: systemd is not running here and systemctl is not on PATH. " +
            "Pass --service-type systemd or --service-type launchd to generate the file anyway (e.g. with --dry-run).");
    }
}
