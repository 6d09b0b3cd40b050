namespace LlmSpell.Service.Logging;

/// <summary>The [logging] section knobs that drive <see cref="RotatingLogFile"/>.</summary>
public sealed record RotatingLogOptions
{
    public required string Path { get; init; }

    /// <summary>Rotate before a write would grow the file past this size.</summary>
    public long MaxSizeBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Rotated files kept (<c>path.1</c> … <c>path.N</c>); 0 truncates instead of keeping any.</summary>
    public int MaxBackups { get; init; } = 5;

    /// <summary>Gzip rotated files to <c>path.N.gz</c>.</summary>
    public bool Compress { get; init; }

    /// <summary>Flush after every <see cref="RotatingLogFile.Write"/> so `tail -f` and crashes lose nothing.</summary>
    public bool AutoFlush { get; init; } = true;

    public static RotatingLogOptions FromMegabytes(string path, int maxSizeMb, int maxBackups, bool compress) => new()
    {
        Path = path,
        MaxSizeBytes = Math.Max(1, maxSizeMb) * 1024L * 1024L,
        MaxBackups = Math.Max(0, maxBackups),
        Compress = compress,
    };
}
