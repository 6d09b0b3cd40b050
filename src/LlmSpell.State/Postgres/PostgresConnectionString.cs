using System.Text.RegularExpressions;
using Npgsql;

namespace LlmSpell.State.Postgres;

/// <summary>
/// A parsed connection string: Npgsql's key=value form, or a postgresql:// URI (what many Kubernetes operators put in
/// their Secrets), turned into Npgsql's form. Knows its secrets, so every message built from it can be redacted.
/// </summary>
internal sealed partial class PostgresConnectionString
{
    public const string Redacted = "<redacted>";

    /// <summary>Shorter secrets are not searched for in messages: they would match ordinary words.</summary>
    private const int MinimumRedactedLength = 4;

    private readonly string[] _secrets;

    private PostgresConnectionString(NpgsqlConnectionStringBuilder builder, string[] secrets)
    {
        ConnectionString = builder.ConnectionString;
        Host = builder.Host!;
        Port = builder.Port;
        Database = builder.Database;
        Username = builder.Username;
        _secrets = secrets;
    }

    /// <summary>Npgsql's key=value form, with llmspell's defaults for what the original left out.</summary>
    public string ConnectionString { get; }

    public string Host { get; }
    public int Port { get; }
    public string? Database { get; }
    public string? Username { get; }

    /// <summary>"db.example:5432": where the server is, for messages.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>"db.example:5432, database llmspell, user llmspell" (no password).</summary>
    public string Describe() =>
        $"{Endpoint}, database {Database ?? "(the user's name)"}, user {Username ?? "(the system user's name)"}";

    /// <summary><paramref name="message"/> with every secret of this connection string replaced by <see cref="Redacted"/>.</summary>
    public string Redact(string message) => RedactAll(message, _secrets);

    /// <summary>Parses <paramref name="raw"/>; throws <see cref="StateException"/> naming <paramref name="origin"/> (never the password).</summary>
    public static PostgresConnectionString Parse(string raw, string origin)
    {
        ArgumentNullException.ThrowIfNull(raw);
        raw = raw.Trim();
        // Before parsing, the secrets are found by pattern, so even a parse error cannot carry one.
        var guessed = GuessSecrets(raw);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = IsUri(raw) ? FromUri(raw, origin) : new NpgsqlConnectionStringBuilder(raw);
        }
        catch (ArgumentException e)
        {
            throw new StateException(RedactAll(
                $"The PostgreSQL connection string in {origin} is not valid ({e.Message.TrimEnd('.')}); write it as " +
                "Host=...;Port=5432;Database=...;Username=...;Password=... (Npgsql's form) or as a postgresql://user:password@host:5432/database URI.",
                guessed));
        }
        catch (FormatException e)
        {
            throw new StateException(RedactAll($"The PostgreSQL connection string in {origin} is not valid ({e.Message.TrimEnd('.')}).", guessed));
        }

        string[] secrets = [.. guessed, .. new[] { builder.Password, builder.SslPassword }.OfType<string>()];
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new StateException($"The PostgreSQL connection string in {origin} names no server; add Host=... (a host name, an address or a unix socket directory).");
        // pg_stat_activity then shows which connections are llmspell's.
        builder.ApplicationName ??= "llmspell";
        return new PostgresConnectionString(builder, secrets);
    }

    private static bool IsUri(string raw) =>
        raw.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>postgresql://user:password@host:port/database?sslmode=require&amp;... as libpq reads it (one host).</summary>
    private static NpgsqlConnectionStringBuilder FromUri(string raw, string origin)
    {
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new StateException(
                $"The PostgreSQL connection URI in {origin} is not valid (it needs postgresql://user:password@host:port/database, one host); " +
                "for several hosts or a unix socket write Npgsql's form, Host=...;Port=...;Database=...;Username=...;Password=...");

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.IdnHost };
        if (uri.Port > 0) builder.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            var keyword = UriParameter(name) ?? throw new StateException(
                $"The PostgreSQL connection URI in {origin} has the parameter '{name}', which llmspell does not translate; " +
                "write Npgsql's form instead (Host=...;Port=...;Database=...;Username=...;Password=...;<option>=...).");
            // libpq writes sslmode=verify-full, Npgsql's enum is VerifyFull.
            builder[keyword] = keyword == "SSL Mode" ? value.Replace("-", "", StringComparison.Ordinal) : value;
        }
        return builder;
    }

    /// <summary>libpq's URI parameters and their Npgsql keywords.</summary>
    private static string? UriParameter(string name) => name.ToLowerInvariant() switch
    {
        "host" => "Host",
        "port" => "Port",
        "dbname" => "Database",
        "user" => "Username",
        "password" => "Password",
        "sslmode" => "SSL Mode",
        "sslrootcert" => "Root Certificate",
        "sslcert" => "SSL Certificate",
        "sslkey" => "SSL Key",
        "sslpassword" => "SSL Password",
        "connect_timeout" => "Timeout",
        "application_name" => "Application Name",
        "target_session_attrs" => "Target Session Attributes",
        "options" => "Options",
        _ => null,
    };

    /// <summary>The values of password-like keys and a URI's user-info password, found without a full parse.</summary>
    private static string[] GuessSecrets(string raw)
    {
        var found = new List<string>();
        foreach (Match m in SecretPair().Matches(raw))
        {
            var value = m.Groups["value"].Value.Trim();
            if (value.Length > 1 && (value[0] is '\'' or '"') && value[^1] == value[0]) value = value[1..^1];
            found.Add(value);
        }
        if (IsUri(raw))
        {
            foreach (var m in new[] { UriPassword().Match(raw) }.Concat(UriQueryPassword().Matches(raw)).Where(m => m.Success))
            {
                found.Add(m.Groups["password"].Value);
                found.Add(Uri.UnescapeDataString(m.Groups["password"].Value));
            }
        }
        return [.. found];
    }

    private static string RedactAll(string message, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length >= MinimumRedactedLength).OrderByDescending(s => s.Length))
            message = message.Replace(secret, Redacted, StringComparison.Ordinal);
        return message;
    }

    [GeneratedRegex(@"(?:^|;)\s*(?:password|pwd|psw|ssl\s*password|sslpassword)\s*=\s*(?<value>'(?:[^']|'')*'|""(?:[^""]|"""")*""|[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"^postgres(?:ql)?://[^:@/]*:(?<password>[^@]*)@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"[?&](?:password|sslpassword)=(?<password>[^&]*)", RegexOptions.IgnoreCase)]
    private static partial Regex UriQueryPassword();
}
