namespace LlmSpell.State.Postgres;

/// <summary>
/// Where the PostgreSQL connection string comes from: an environment variable, or a file (a mounted Kubernetes Secret).
/// It is read when the store first connects, and again after the database rejects its credentials (a rotated Secret).
/// The connection string holds a password: nothing here ever puts it into a message.
/// </summary>
public sealed class PostgresConnectionSource
{
    private readonly string? _variable;
    private readonly string? _file;
    private readonly string? _value;

    private PostgresConnectionSource(string? variable, string? file, string? value, string origin)
    {
        _variable = variable;
        _file = file;
        _value = value;
        Origin = origin;
    }

    /// <summary>The environment variable <paramref name="variable"/>; <paramref name="setting"/> names what chose it (e.g. a config key) for messages.</summary>
    public static PostgresConnectionSource FromEnvironment(string variable, string? setting = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variable);
        return new(variable, null, null, $"the environment variable {variable}" + (setting is null ? "" : $" ({setting})"));
    }

    /// <summary>The file at <paramref name="path"/> (surrounding whitespace, such as a Secret's final newline, is ignored).</summary>
    public static PostgresConnectionSource FromFile(string path, string? setting = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        return new(null, full, null, $"the file {full}" + (setting is null ? "" : $" ({setting})"));
    }

    /// <summary>A connection string given directly; <paramref name="origin"/> says where it came from in messages.</summary>
    public static PostgresConnectionSource FromValue(string connectionString, string origin = "the connection string")
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return new(null, null, connectionString, origin);
    }

    /// <summary>"the environment variable LLMSPELL_STATE_DSN ([state] connection_string_env)": where to fix the connection string.</summary>
    public string Origin { get; }

    /// <summary>The connection string, parsed; throws <see cref="StateException"/> naming what is missing or wrong (never the password).</summary>
    internal PostgresConnectionString Read() => PostgresConnectionString.Parse(ReadRaw(), Origin);

    /// <summary>
    /// For `kernel start --dry-run`: whether the connection string is there and parses, and where it points
    /// ("set; 127.0.0.1:5432, database llmspell, user llmspell"), without connecting. Never the password.
    /// </summary>
    public (bool Usable, string Description) Inspect()
    {
        try
        {
            var parsed = Read();
            return (true, $"{(_file is null ? "set" : "readable")}; {parsed.Describe()}");
        }
        catch (StateException e)
        {
            return (false, e.Message);
        }
    }

    private string ReadRaw()
    {
        if (_value is not null) return _value;
        if (_variable is not null)
        {
            var value = Environment.GetEnvironmentVariable(_variable);
            if (string.IsNullOrWhiteSpace(value))
                throw new StateException(
                    $"{Capitalized(Origin)} is {(value is null ? "not set" : "empty")}; set it to the PostgreSQL connection string, " +
                    "e.g. Host=db.example;Port=5432;Database=llmspell;Username=llmspell;Password=... (or a postgresql:// URI).");
            return value;
        }

        string text;
        try
        {
            text = File.ReadAllText(_file!);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StateException($"Cannot read the PostgreSQL connection string: {Origin} does not exist; create it, or mount the Secret that holds it there.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new StateException($"Cannot read the PostgreSQL connection string: permission denied on {Origin}; make it readable by the user llmspell runs as.");
        }
        catch (IOException e)
        {
            throw new StateException($"Cannot read the PostgreSQL connection string from {Origin}: {e.Message}");
        }
        if (string.IsNullOrWhiteSpace(text))
            throw new StateException($"{Capitalized(Origin)} is empty; write the PostgreSQL connection string into it.");
        return text.Trim();
    }

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
