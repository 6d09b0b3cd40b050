using System.Runtime.InteropServices;
using LlmSpell.Service.Native;

namespace LlmSpell.Service.Processes;

/// <summary>Sending signals to a process this user may control, with errors worded for the operator.</summary>
public static class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends the signal; returns null on success, else the reason (e.g. "Permission denied").</summary>
    public static string? Send(int pid, int signal)
    {
        if (Libc.kill(pid, signal) == 0) return null;
        var errno = Marshal.GetLastPInvokeError();
        return errno == Libc.EPERM ? "Permission denied" : errno == 3 ? "No such process" : $"errno {errno}";
    }

    /// <summary>Polls until the process is gone (zombies count as gone) or the timeout passes.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout, Action<TimeSpan>? progress = null, CancellationToken ct = default)
    {
        var started = DateTime.UtcNow;
        var lastReport = TimeSpan.Zero;
        while (ProcessProbe.IsAlive(pid))
        {
            var waited = DateTime.UtcNow - started;
            if (waited >= timeout) return false;
            if (progress is not null && waited - lastReport >= TimeSpan.FromSeconds(1))
            {
                progress(waited);
                lastReport = waited;
            }
            await Task.Delay(50, ct);
        }
        return true;
    }
}
