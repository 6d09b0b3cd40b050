using System.Globalization;

namespace LlmSpell.Server.Kernels;

/// <summary>
/// How many kernels this process can host. Each kernel holds about 11 NetMQ sockets (four channels, heartbeat,
/// the send queue's pair and the poller's internals) against NetMQ's default limit of 1,024 per process, and
/// about 30 file descriptors. [kernels] max_kernels = 0 means "the lower of the two, with headroom".
/// </summary>
public static class KernelCapacity
{
    private const int NetMqSocketLimit = 1024;
    private const int SocketsPerKernel = 11;
    private const int DescriptorsPerKernel = 32;
    // Kestrel, log files, the registry and the HTTP clients keep this many descriptors for themselves.
    private const int ReservedDescriptors = 256;

    // The process limits do not change while it runs: read /proc once, not on every kernel start.
    private static readonly Lazy<int> DerivedForThisProcess = new(() => Derived(OpenFileLimit()));

    public static int Effective(int configured) => configured > 0 ? configured : DerivedForThisProcess.Value;

    public static int Derived(long openFileLimit)
    {
        var bySockets = NetMqSocketLimit * 9 / 10 / SocketsPerKernel;
        var byDescriptors = (int)Math.Min(int.MaxValue, Math.Max(0, openFileLimit - ReservedDescriptors) / DescriptorsPerKernel);
        return Math.Max(1, Math.Min(bySockets, byDescriptors));
    }

    /// <summary>The soft RLIMIT_NOFILE as /proc/self/limits reports it; 1,024 (the usual default) when unknown.</summary>
    public static long OpenFileLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? int.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return 1024;
    }
}
