using System.Diagnostics;

namespace LlmSpell.Tests.Shared;

/// <summary>
/// The PostgreSQL server of the tests (compiled into every test project). scripts/test.sh starts a throwaway one and
/// exports its connection string as <see cref="Variable"/>. Without it: under CI the test fails, naming
/// scripts/test.sh; elsewhere this process starts its own through the same script (stopped when the process exits).
/// Never a skip. Tests that stop a server start a <see cref="TestPostgresServer"/> of their own.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LLMSPELL_TEST_POSTGRES";

    private static readonly Lazy<string> Shared = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// An Npgsql key=value connection string (Host, Port, Username, Password, Database; no quoting) for a role that may
    /// create databases, on the shared server. One brought in through <see cref="Variable"/> must be of that form too.
    /// </summary>
    public static string ConnectionString => Shared.Value;

    /// <summary>The Npgsql key=value connection string with <paramref name="key"/> set to <paramref name="value"/> (or added).</summary>
    public static string With(string connectionString, string key, string value)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.Split('=', 2)[0].Trim().Equals(key, StringComparison.OrdinalIgnoreCase));
        return string.Join(';', parts.Append($"{key}={value}"));
    }

    /// <summary>The value of <paramref name="key"/> in a key=value connection string (no quoting: the script writes none).</summary>
    public static string Get(string connectionString, string key) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Single(p => p[0].Trim().Equals(key, StringComparison.OrdinalIgnoreCase))[1];

    public static string Password(string connectionString) => Get(connectionString, "Password");

    private static bool UnderCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    private static string Resolve()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given)) return given.Trim();
        if (UnderCi)
            Assert.Fail($"{Variable} is not set, and CI=true: the PostgreSQL tests need the throwaway server that scripts/test.sh starts " +
                        $"(scripts/postgres-for-tests.sh) and exports as {Variable}. Run the tests through scripts/test.sh.");
        var server = TestPostgresServer.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Destroy();
        return server.ConnectionString;
    }
}

/// <summary>
/// A PostgreSQL server of this test's own, through scripts/postgres-for-tests.sh (127.0.0.1 and a unix socket, a random
/// password): it can be stopped and started again without disturbing other tests. Destroyed on disposal.
/// </summary>
public sealed class TestPostgresServer : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);
    private bool _destroyed;

    private TestPostgresServer(string directory)
    {
        Directory = directory;
    }

    /// <summary>Its data, port and connection string; the postgres user must be able to enter it, so it is under /tmp.</summary>
    public string Directory { get; }

    public string ConnectionString => File.ReadAllText(System.IO.Path.Combine(Directory, "connection_string")).Trim();

    public int Port => int.Parse(File.ReadAllText(System.IO.Path.Combine(Directory, "port")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public static string Script => FindScript();

    public static TestPostgresServer Start()
    {
        var directory = System.IO.Path.Combine("/tmp", "llmspell-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var server = new TestPostgresServer(directory);
        try
        {
            server.Run("start");
        }
        catch
        {
            server.Destroy();
            throw;
        }
        return server;
    }

    /// <summary>pg_ctl stop -m fast: connected clients are told 57P01 and new ones are refused.</summary>
    public void Stop() => Run("stop");

    /// <summary>Starts the stopped server again, on the same port with the same data.</summary>
    public void Restart() => Run("start");

    public void Destroy()
    {
        if (_destroyed) return;
        _destroyed = true;
        try { Run("destroy"); }
        catch (Exception e) when (e is not OutOfMemoryException) { Console.Error.WriteLine($"could not destroy the test PostgreSQL in {Directory}: {e.Message}"); }
    }

    public void Dispose() => Destroy();

    private void Run(string verb)
    {
        var info = new ProcessStartInfo("bash")
        {
            ArgumentList = { Script, verb, Directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ScriptTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Script} {verb} {Directory} did not finish within {ScriptTimeout.TotalSeconds:F0} s");
        }
        if (process.ExitCode != 0)
            Assert.Fail($"{Script} {verb} {Directory} failed (exit {process.ExitCode}); PostgreSQL's server must be installed " +
                        $"(sudo apt-get install -y postgresql; scripts/test.sh does) or {TestPostgres.Variable} set:\n{stdout.Result}{stderr.Result}");
    }

    /// <summary>scripts/postgres-for-tests.sh of the repository this test assembly was built in (found upwards from the output folder).</summary>
    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "scripts", "postgres-for-tests.sh");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"scripts/postgres-for-tests.sh was not found above {AppContext.BaseDirectory}");
        return "";
    }
}
