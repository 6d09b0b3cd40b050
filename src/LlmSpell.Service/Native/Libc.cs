using System.Runtime.InteropServices;

namespace LlmSpell.Service.Native;

/// <summary>Thin libc bindings; everything here is POSIX-only.</summary>
internal static class Libc
{
    private const string Library = "libc";

    internal const int LOCK_SH = 1;
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;
    internal const int LOCK_UN = 8;

    internal const int EPERM = 1;
    internal const int EACCES = 13;
    internal const int EROFS = 30;

    internal const int WNOHANG = 1;

    internal static int EWOULDBLOCK => OperatingSystem.IsMacOS() ? 35 : 11;

    internal static int O_RDONLY => 0;
    internal static int O_WRONLY => 1;
    internal static int O_RDWR => 2;
    internal static int O_CREAT => OperatingSystem.IsMacOS() ? 0x200 : 0x40;
    internal static int O_APPEND => OperatingSystem.IsMacOS() ? 0x8 : 0x400;
    internal static int O_CLOEXEC => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;
    internal static int O_NOFOLLOW => OperatingSystem.IsMacOS() ? 0x100 : 0x20000;

    static Libc()
    {
        // "libc" alone does not resolve reliably (libc.so may be a linker script or absent).
        NativeLibrary.SetDllImportResolver(typeof(Libc).Assembly, (name, _, _) =>
        {
            if (name != Library)
            {
                return IntPtr.Zero;
            }

            var candidate = OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.B.dylib" : "libc.so.6";
            return NativeLibrary.TryLoad(candidate, out var handle) ? handle : IntPtr.Zero;
        });
    }

    /// <summary>Forces the static constructor (and thus the resolver) to run before any import.</summary>
    internal static void EnsureInitialized()
    {
    }

    [DllImport(Library, SetLastError = true)]
    internal static extern int access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport(Library)]
    internal static extern int getppid();

    [DllImport(Library, SetLastError = true)]
    internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport(Library, SetLastError = true)]
    internal static extern int close(int fd);

    [DllImport(Library, SetLastError = true)]
    internal static extern int flock(int fd, int operation);

    [DllImport(Library, SetLastError = true)]
    internal static extern int ftruncate(int fd, long length);

    [DllImport(Library, SetLastError = true)]
    internal static extern nint pwrite(int fd, byte[] buffer, nint count, long offset);

    [DllImport(Library, SetLastError = true)]
    internal static extern nint pread(int fd, byte[] buffer, nint count, long offset);

    [DllImport(Library, SetLastError = true)]
    internal static extern int fsync(int fd);

    [DllImport(Library, SetLastError = true)]
    internal static extern int fchmod(int fd, int mode);

    [DllImport(Library, SetLastError = true)]
    internal static extern int kill(int pid, int signal);

    [DllImport(Library, SetLastError = true)]
    internal static extern int waitpid(int pid, out int status, int options);

    [DllImport(Library)]
    internal static extern int umask(int mask);

    [DllImport(Library)]
    internal static extern uint geteuid();

    [DllImport(Library, SetLastError = true)]
    internal static extern IntPtr getpwnam([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Library, SetLastError = true)]
    internal static extern IntPtr getgrgid(uint gid);

    [DllImport(Library)]
    internal static extern int posix_spawn(
        out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_init(IntPtr attributes);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_destroy(IntPtr attributes);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_setflags(IntPtr attributes, short flags);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_setsigmask(IntPtr attributes, IntPtr sigset);

    [DllImport(Library)]
    internal static extern int posix_spawnattr_setsigdefault(IntPtr attributes, IntPtr sigset);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_init(IntPtr actions);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_destroy(IntPtr actions);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_addopen(
        IntPtr actions, int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_adddup2(IntPtr actions, int fd, int newFd);

    [DllImport(Library)]
    internal static extern int posix_spawn_file_actions_addchdir_np(
        IntPtr actions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    internal static readonly IntPtr SIG_DFL = IntPtr.Zero;
    internal static readonly IntPtr SIG_IGN = 1;

    [DllImport(Library, SetLastError = true)]
    internal static extern IntPtr signal(int signal, IntPtr handler);

    /// <summary>With <paramref name="action"/> zero, only reads the disposition into <paramref name="oldAction"/>.</summary>
    [DllImport(Library, SetLastError = true)]
    internal static extern int sigaction(int signal, IntPtr action, IntPtr oldAction);

    [DllImport(Library)]
    internal static extern int sigemptyset(IntPtr set);

    [DllImport(Library)]
    internal static extern int sigaddset(IntPtr set, int signal);

    internal static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
