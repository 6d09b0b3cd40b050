using LlmSpell.Kernel.Transport;

namespace LlmSpell.Kernel.Startup;

/// <summary>The endpoints and key to bind with, and whether the kernel writes (and later deletes) the connection file.</summary>
internal sealed record ConnectionPlan(ConnectionInfo Requested, bool WritesFile);

/// <summary>
/// Merges the start options with a connection file written by whoever launched the kernel (Jupyter):
/// the file's ip, ports, key and kernel name win; only tcp and hmac-sha256 are supported.
/// </summary>
internal static class ConnectionMerge
{
    public const string Transport = "tcp";
    public const string SignatureScheme = "hmac-sha256";

    /// <summary>The launcher's connection file, when the options ask for it and it exists.</summary>
    public static ConnectionInfo? ReadExisting(KernelStartOptions options) =>
        options.UseExistingConnectionFile && options.ConnectionFilePath is { } path && File.Exists(path)
            ? ConnectionFile.Read(path)
            : null;

    public static ConnectionPlan Merge(KernelStartOptions options, ConnectionInfo? fromFile)
    {
        if (fromFile is not null && !string.IsNullOrEmpty(fromFile.Key) &&
            !string.Equals(fromFile.SignatureScheme, SignatureScheme, StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"Unsupported signature scheme '{fromFile.SignatureScheme}'; only hmac-sha256 is supported.");
        if (fromFile is not null && !string.Equals(fromFile.Transport, Transport, StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"Unsupported transport '{fromFile.Transport}'; only tcp is supported.");

        var requested = new ConnectionInfo
        {
            Transport = Transport,
            Ip = fromFile?.Ip ?? options.Ip,
            ShellPort = fromFile?.ShellPort ?? options.ShellPort,
            IopubPort = fromFile?.IopubPort ?? options.IopubPort,
            StdinPort = fromFile?.StdinPort ?? options.StdinPort,
            ControlPort = fromFile?.ControlPort ?? options.ControlPort,
            HbPort = fromFile?.HbPort ?? options.HbPort,
            Key = fromFile?.Key ?? options.Key,
            SignatureScheme = SignatureScheme,
            KernelName = fromFile?.KernelName ?? "llmspell",
        };
        return new ConnectionPlan(requested, fromFile is null && options.ConnectionFilePath is not null);
    }
}
