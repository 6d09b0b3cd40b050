using System.Globalization;
using System.Text;

namespace LlmSpell.Service.Daemon;

/// <summary>
/// Child-side half of the readiness handshake. Every method is a no-op when the process was not
/// started by <see cref="Daemonizer"/>, so the host can call them unconditionally.
/// </summary>
public static class DaemonChild
{
    /// <summary>True when this process is a daemon child started by <see cref="Daemonizer.Launch"/>.</summary>
    public static bool IsDaemonChild =>
        Environment.GetEnvironmentVariable(DaemonProtocol.ChildVariable) == "1";

    /// <summary>Tells the launcher start-up succeeded (write the PID file first: systemd reads it when the launcher exits).</summary>
    public static bool NotifyReady(int pid) =>
        Notify(DaemonProtocol.ReadyPrefix + pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Tells the launcher start-up failed; the launcher prints <paramref name="message"/> and exits non-zero.</summary>
    public static bool NotifyFailed(string message) =>
        Notify(DaemonProtocol.FailedPrefix + message.ReplaceLineEndings("\n").TrimEnd());

    private static bool Notify(string line)
    {
        var target = Environment.GetEnvironmentVariable(DaemonProtocol.NotifyVariable);
        if (string.IsNullOrEmpty(target))
        {
            return false;
        }

        // Notify at most once, and keep the variables away from processes the kernel spawns.
        Environment.SetEnvironmentVariable(DaemonProtocol.NotifyVariable, null);
        Environment.SetEnvironmentVariable(DaemonProtocol.ChildVariable, null);

        var temp = target + ".tmp";
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
            }

            File.Move(temp, target, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The launcher may have timed out and removed its directory; the daemon keeps running.
            return false;
        }
    }
}
