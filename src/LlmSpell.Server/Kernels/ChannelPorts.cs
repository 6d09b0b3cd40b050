namespace LlmSpell.Server.Kernels;

/// <summary>
/// The port layout of the default kernel: the HTTP control plane on kernel.port and the five Jupyter channels on
/// the next five ports. An HTTP port of 0 means every port is chosen by the OS.
/// </summary>
public static class ChannelPorts
{
    /// <summary>In port order: HTTP port + 1 is shell, ... + 5 is heartbeat.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["shell", "iopub", "stdin", "control", "hb"];

    /// <summary>The highest HTTP port that leaves room for the channels above it.</summary>
    public const int HighestHttpPort = 65535 - 5;

    /// <summary>Channel <paramref name="index"/> (0 = shell) above <paramref name="httpPort"/>; 0 when the OS chooses.</summary>
    public static int Of(int httpPort, int index) => httpPort == 0 ? 0 : httpPort + 1 + index;

    /// <summary>Every port the service binds, HTTP first, with its name.</summary>
    public static IEnumerable<(string Name, int Port)> All(int httpPort) =>
        Channels.Select((name, i) => (name, Of(httpPort, i))).Prepend(("HTTP", httpPort));

    /// <summary>"9556-9560": the channel range, for messages.</summary>
    public static string Range(int httpPort) => $"{Of(httpPort, 0)}-{Of(httpPort, Channels.Count - 1)}";
}
