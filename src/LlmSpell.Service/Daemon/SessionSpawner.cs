using System.Runtime.InteropServices;
using LlmSpell.Service.Native;

namespace LlmSpell.Service.Daemon;

/// <summary>
/// Starts a process in a new session via posix_spawn: stdin from /dev/null, stdout/stderr appended to a
/// file. No fork (unsafe in the multithreaded runtime) and no shell involved.
/// </summary>
internal static class SessionSpawner
{
    private const int EINVAL = 22;
    private const int ENOSYS = 38;
    private const int BufferSize = 1024;

    private static short SetSigDefault => 0x04;

    private static short SetSigMask => 0x08;

    private static short SetSid => (short)(OperatingSystem.IsMacOS() ? 0x0400 : 0x80);

    // HUP INT QUIT USR1 USR2 PIPE ALRM TERM CHLD TSTP TTIN TTOU (numbers differ between Linux and macOS).
    private static int[] ResetSignals => OperatingSystem.IsMacOS()
        ? [1, 2, 3, 30, 31, 13, 14, 15, 20, 18, 21, 22]
        : [1, 2, 3, 10, 12, 13, 14, 15, 17, 20, 21, 22];

    private static readonly string[] SetsidBinaries = ["/usr/bin/setsid", "/bin/setsid"];

    /// <summary>Returns the child's pid; throws <see cref="ServiceStartException"/> when it cannot be started.</summary>
    internal static int Spawn(
        IReadOnlyList<string> argv, IReadOnlyList<string> environment, string outputPath, string? workingDirectory, int? umask)
    {
        Libc.EnsureInitialized();
        var error = TrySpawn(argv, environment, outputPath, workingDirectory, umask, useSetSidFlag: true, out var pid);
        if (error is EINVAL or ENOSYS)
        {
            // Older libc without POSIX_SPAWN_SETSID: setsid(1) run by a non-group-leader calls setsid()
            // and execs in place, so the pid we get is still the daemon's.
            var setsid = SetsidBinaries.FirstOrDefault(File.Exists)
                ?? throw new ServiceStartException("Cannot start the daemon: this libc lacks POSIX_SPAWN_SETSID and no setsid binary was found");
            error = TrySpawn([setsid, .. argv], environment, outputPath, workingDirectory, umask, useSetSidFlag: false, out pid);
        }

        if (error != 0)
        {
            throw new ServiceStartException(
                $"Cannot start the daemon {argv[0]} (output to {outputPath}): {Libc.Describe(error)}");
        }

        return pid;
    }

    private static int TrySpawn(
        IReadOnlyList<string> argv,
        IReadOnlyList<string> environment,
        string outputPath,
        string? workingDirectory,
        int? umask,
        bool useSetSidFlag,
        out int pid)
    {
        pid = 0;
        var attributes = Marshal.AllocHGlobal(BufferSize);
        var actions = Marshal.AllocHGlobal(BufferSize);
        var signals = Marshal.AllocHGlobal(BufferSize);
        var nativeArgv = ToNativeArray(argv);
        var nativeEnv = ToNativeArray(environment);
        string? restoreDirectory = null;
        int? restoreUmask = null;
        try
        {
            Check(Libc.posix_spawnattr_init(attributes));
            Check(Libc.posix_spawn_file_actions_init(actions));

            // The runtime ignores SIGPIPE and blocks signals on some threads; give the child clean defaults.
            var flags = (short)(SetSigDefault | SetSigMask | (useSetSidFlag ? SetSid : 0));
            Check(Libc.posix_spawnattr_setflags(attributes, flags));
            Libc.sigemptyset(signals);
            foreach (var signal in ResetSignals)
            {
                Libc.sigaddset(signals, signal);
            }

            Check(Libc.posix_spawnattr_setsigdefault(attributes, signals));
            Libc.sigemptyset(signals);
            Check(Libc.posix_spawnattr_setsigmask(attributes, signals));

            Check(Libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Libc.O_RDONLY, 0));
            Check(Libc.posix_spawn_file_actions_addopen(
                actions, 1, outputPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 0b110_100_000));
            Check(Libc.posix_spawn_file_actions_adddup2(actions, 1, 2));
            if (workingDirectory is not null && !TryAddChdir(actions, workingDirectory))
            {
                restoreDirectory = Directory.GetCurrentDirectory();
                Directory.SetCurrentDirectory(workingDirectory);
            }

            // posix_spawn has no umask attribute; the child inherits ours for the duration of the call.
            if (umask is not null)
            {
                restoreUmask = Libc.umask(umask.Value);
            }

            return Libc.posix_spawn(out pid, argv[0], actions, attributes, nativeArgv, nativeEnv);
        }
        finally
        {
            if (restoreUmask is not null)
            {
                Libc.umask(restoreUmask.Value);
            }

            if (restoreDirectory is not null)
            {
                Directory.SetCurrentDirectory(restoreDirectory);
            }

            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attributes);
            Marshal.FreeHGlobal(signals);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            FreeNativeArray(nativeArgv);
            FreeNativeArray(nativeEnv);
        }
    }

    private static bool TryAddChdir(IntPtr actions, string directory)
    {
        try
        {
            Check(Libc.posix_spawn_file_actions_addchdir_np(actions, directory));
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new ServiceStartException($"Cannot prepare the daemon launch: {Libc.Describe(result)}");
        }
    }

    private static IntPtr[] ToNativeArray(IReadOnlyList<string> values)
    {
        var array = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return array;
    }

    private static void FreeNativeArray(IntPtr[] array)
    {
        foreach (var pointer in array)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
    }
}
