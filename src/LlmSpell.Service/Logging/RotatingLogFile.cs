using System.IO.Compression;
using System.Text;

namespace LlmSpell.Service.Logging;

/// <summary>
/// Thread-safe append-only log file with size-based rotation (<c>path.1</c>…<c>path.N</c>, optionally
/// gzip'd) and <see cref="Reopen"/> for external logrotate + SIGUSR1.
/// </summary>
public sealed class RotatingLogFile : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly object _gate = new();
    private readonly RotatingLogOptions _options;
    private FileStream? _stream;
    private long _size;
    private bool _disposed;

    public RotatingLogFile(RotatingLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxSizeBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxBackups);
        _options = options with { Path = System.IO.Path.GetFullPath(options.Path) };
        Open();
    }

    public string Path => _options.Path;

    public void Write(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Utf8.GetBytes(text);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_size > 0 && _size + bytes.Length > _options.MaxSizeBytes)
            {
                Rotate();
            }

            _stream!.Write(bytes);
            _size += bytes.Length;
            if (_options.AutoFlush)
            {
                _stream.Flush();
            }
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            _stream?.Flush();
        }
    }

    /// <summary>Closes and reopens <see cref="Path"/>, creating it if an external tool moved it away.</summary>
    public void Reopen()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Close();
            Open();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Close();
        }
    }

    /// <summary>Backup file name for generation <paramref name="index"/> (1 = newest).</summary>
    public string BackupPath(int index) => $"{Path}.{index}{(_options.Compress ? ".gz" : string.Empty)}";

    private void Rotate()
    {
        Close();
        if (_options.MaxBackups == 0)
        {
            File.Delete(Path);
        }
        else
        {
            ShiftBackups();
            var first = $"{Path}.1";
            File.Move(Path, first, overwrite: true);
            if (_options.Compress)
            {
                Gzip(first, first + ".gz");
            }
        }

        Open();
    }

    private void ShiftBackups()
    {
        // Both spellings are shifted so toggling `compress` between runs keeps one consistent sequence.
        foreach (var suffix in new[] { string.Empty, ".gz" })
        {
            File.Delete($"{Path}.{_options.MaxBackups}{suffix}");
            for (var index = _options.MaxBackups - 1; index >= 1; index--)
            {
                var source = $"{Path}.{index}{suffix}";
                if (File.Exists(source))
                {
                    File.Move(source, $"{Path}.{index + 1}{suffix}", overwrite: true);
                }
            }
        }
    }

    private static void Gzip(string source, string target)
    {
        var temp = target + ".tmp";
        using (var input = File.OpenRead(source))
        using (var output = new FileStream(temp, new FileStreamOptions
               {
                   Mode = FileMode.Create,
                   Access = FileAccess.Write,
                   UnixCreateMode = LogFileModes.File,
               }))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            input.CopyTo(gzip);
        }

        File.Move(temp, target, overwrite: true);
        File.Delete(source);
    }

    private void Open()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, LogFileModes.Directory);
            File.SetUnixFileMode(directory, LogFileModes.Directory);
        }

        var created = !File.Exists(Path);
        _stream = new FileStream(Path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = LogFileModes.File,
        });
        if (created)
        {
            // UnixCreateMode is filtered by the umask (0077 under systemd); the guide wants 0640.
            File.SetUnixFileMode(_stream.SafeFileHandle, LogFileModes.File);
        }

        _size = _stream.Length;
    }

    private void Close()
    {
        _stream?.Flush();
        _stream?.Dispose();
        _stream = null;
    }
}
