using System.Globalization;
using System.Runtime.InteropServices;

namespace LlmSpell.Tests.Shared;

/// <summary>Processes by pid (children or not): signals through kill(2), liveness from /proc (Linux).</summary>
public static class Processes
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10; // Linux
    public const int SIGUSR2 = 12; // Linux
    public const int SIGTERM = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; fails the test when it cannot be delivered (the process is gone, or errno).</summary>
    public static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            Assert.Fail($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Best effort, for cleanup: sends <paramref name="signal"/> if the process still runs; whether kill(2) succeeded.</summary>
    public static bool TrySignal(int pid, int signal) => IsRunning(pid) && Kill(pid, signal) == 0;

    /// <summary>
    /// Whether <paramref name="pid"/> names a process that has not exited. An exited process nobody reaped yet (a zombie,
    /// state Z or X) counts as gone; one whose /proc entry exists but cannot be read counts as running.
    /// </summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var state = StatFields(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"))[0];
            return state != "Z" && state != "X";
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; }
    }

    /// <summary>The fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [3] session.</summary>
    public static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    /// <summary>Whether the process stopped running within <paramref name="timeout"/>.</summary>
    public static Task<bool> WaitForExitAsync(int pid, TimeSpan timeout) => Wait.ForAsync(() => !IsRunning(pid), timeout);

    /// <summary>Fails the test (with <paramref name="context"/>) if the process still runs after <paramref name="timeout"/>.</summary>
    public static Task AssertExitsAsync(int pid, TimeSpan timeout, Func<string> context) =>
        Wait.UntilAsync(() => !IsRunning(pid), timeout, $"pid {pid} to exit", context);
}
