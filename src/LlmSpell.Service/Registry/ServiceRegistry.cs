using System.Text.Json;
using LlmSpell.Service.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmSpell.Service.Registry;

/// <summary>One JSON file (mode 0600) per running kernel under a services directory, used by `kernel status/stop ID`.</summary>
public sealed partial class ServiceRegistry
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDir = OwnerOnlyFile | UnixFileMode.UserExecute;

    private readonly ILogger _logger;
    private readonly Func<int, bool> _isAlive;

    /// <param name="servicesDir">Usually <see cref="Paths.ServicePaths.ServicesDir"/>.</param>
    /// <param name="isAlive">Liveness check; defaults to <see cref="ProcessProbe.IsAlive"/> with the llmspell marker.</param>
    public ServiceRegistry(string servicesDir, ILogger? logger = null, Func<int, bool>? isAlive = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(servicesDir);
        ServicesDir = Path.GetFullPath(servicesDir);
        _logger = logger ?? NullLogger.Instance;
        _isAlive = isAlive ?? (pid => ProcessProbe.IsAlive(pid));
    }

    public string ServicesDir { get; }

    public string PathFor(string id) => Path.Combine(ServicesDir, ValidateId(id) + ".json");

    /// <summary>Writes (or replaces) the record atomically: temp file then rename.</summary>
    public string Register(ServiceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var target = PathFor(record.Id);
        if (!Directory.Exists(ServicesDir))
        {
            Directory.CreateDirectory(ServicesDir, OwnerOnlyDir);
        }

        var temp = Path.Combine(ServicesDir, $".{record.Id}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnlyFile,
            };
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, record, RegistryJson.Default.ServiceRecord);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return target;
    }

    /// <summary>Removes the record; returns false when there was none.</summary>
    public bool Unregister(string id)
    {
        var path = PathFor(id);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>All readable records, sorted by id; unreadable files are skipped with a warning.</summary>
    public IReadOnlyList<ServiceEntry> List()
    {
        if (!Directory.Exists(ServicesDir))
        {
            return [];
        }

        var entries = new List<ServiceEntry>();
        foreach (var file in Directory.EnumerateFiles(ServicesDir, "*.json"))
        {
            var record = TryRead(file);
            if (record is not null)
            {
                entries.Add(new ServiceEntry(record, _isAlive(record.Pid), file));
            }
        }

        return entries.OrderBy(e => e.Record.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes records whose process is gone; returns the records removed.</summary>
    public IReadOnlyList<ServiceRecord> Prune()
    {
        var removed = new List<ServiceRecord>();
        foreach (var entry in List().Where(e => !e.IsAlive))
        {
            File.Delete(entry.FilePath);
            removed.Add(entry.Record);
            Log.RemovedDead(_logger, entry.Record.Id, entry.Record.Pid);
        }

        return removed;
    }

    private ServiceRecord? TryRead(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize(stream, RegistryJson.Default.ServiceRecord);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Log.Unreadable(_logger, file, e.Message);
            return null;
        }
    }

    private static string ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || id.StartsWith('.'))
        {
            throw new ArgumentException($"Service id '{id}' may only contain letters, digits, '-', '_' and '.'", nameof(id));
        }

        return id;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Removed registry entry {Id} of dead pid {Pid}")]
        public static partial void RemovedDead(ILogger logger, string id, int pid);

        [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Ignoring unreadable service record {File}: {Error}")]
        public static partial void Unreadable(ILogger logger, string file, string error);
    }
}
