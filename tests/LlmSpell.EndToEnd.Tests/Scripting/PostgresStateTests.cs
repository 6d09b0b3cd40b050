using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Jupyter;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Scripting;

/// <summary>
/// [state] backend = "postgres" through the real binary: two services (two instances of a cluster) share State
/// through one database; a database that goes down is a Lua error in the cell and the kernel goes on; --dry-run says
/// where the connection string comes from and never prints it. The shared test server holds many tests' data, so
/// each test writes under a scope of its own.
/// </summary>
public sealed class PostgresStateTests
{
    private const string Variable = "LLMSPELL_STATE_DSN";

    private static string Config(JupyterEnvironment env) => $"""
        [daemon]
        working_dir = "{env.Dir.Path}"
        [state]
        backend = "postgres"
        connection_string_env = "{Variable}"
        """;

    private static string NewScope() => "e2e-" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<JsonElement> CellAsync(JupyterEnvironment env, ServiceProcess service, string code)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Scripting", "state_cell.py");
        var result = await env.RunPythonAsync([script, service.ConnectionFile, code], TimeSpan.FromSeconds(90));
        Check.ExitCode(0, result);
        return Check.Json(result.Stdout.Trim().Split('\n').Last(), result);
    }

    private static string Ok(JsonElement outcome, string context)
    {
        Assert.True(outcome.GetProperty("status").GetString() == "ok", $"the cell failed: {outcome}\n{context}");
        return outcome.GetProperty("result").GetString() ?? "";
    }

    [Fact]
    public async Task TwoServicesOnTheSameDatabase_ShareState_WhatOneSavesTheOtherLoads()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        var dsn = TestPostgres.ConnectionString;
        var scope = NewScope();
        using var envA = new JupyterEnvironment();
        using var envB = new JupyterEnvironment();
        envA.Extra[Variable] = dsn;
        envB.Extra[Variable] = dsn;
        await using var a = await ServiceProcess.StartAsync(configToml: Config(envA), dir: envA.Dir, environment: envA.Variables);
        await using var b = await ServiceProcess.StartAsync(configToml: Config(envB), dir: envB.Dir, environment: envB.Variables);
        string Context() => a.Describe() + "\n" + b.Describe();

        Assert.Equal("saved", Ok(await CellAsync(envA, a, $"State.save('{scope}', 'handoff', {{from = 'A', n = 42}}) return 'saved'"), Context()));
        Assert.Equal("A 42", Ok(await CellAsync(envB, b, $"local v = State.load('{scope}', 'handoff') return v.from .. ' ' .. v.n"), Context()));

        // And back: B's write and delete are A's to see.
        Ok(await CellAsync(envB, b, $"State.save('{scope}', 'reply', 'from B') State.delete('{scope}', 'handoff')"), Context());
        Assert.Equal("reply=from B handoff=nil",
            Ok(await CellAsync(envA, a, $"return table.concat(State.list_keys('{scope}'), ',') .. '=' .. State.load('{scope}', 'reply') .. " +
                                        $"' handoff=' .. tostring(State.load('{scope}', 'handoff'))"), Context()));

        Assert.False(File.Exists(envA.Dir.File("state.db")), "service A wrote a SQLite state file");
        Assert.False(File.Exists(envB.Dir.File("state.db")), "service B wrote a SQLite state file");
        Check.DoesNotContain(TestPostgres.Password(dsn), a.Stdout + a.Stderr + b.Stdout + b.Stderr, Context());
    }

    [Fact]
    public async Task TheDatabaseGoingDown_IsALuaErrorInTheCell_AndTheKernelServesTheNextCellsAndStateOnceItIsBack()
    {
        JupyterEnvironment.RequirePython("jupyter_client", "python3-jupyter-client");
        using var server = TestPostgresServer.Start();
        var dsn = server.ConnectionString;
        var password = TestPostgres.Password(dsn);
        using var env = new JupyterEnvironment();
        env.Extra[Variable] = dsn;
        await using var service = await ServiceProcess.StartAsync(configToml: Config(env), dir: env.Dir, environment: env.Variables);
        Ok(await CellAsync(env, service, "State.save('ops', 'before', 7)"), service.Describe());

        server.Stop();
        var failed = await CellAsync(env, service, "return State.load('ops', 'before')");
        var context = failed + "\n" + service.Describe();
        Assert.Equal("error", failed.GetProperty("status").GetString());
        var message = failed.GetProperty("evalue").GetString() ?? "";
        Assert.Matches($@"State load of 'before' in scope 'ops' failed: (cannot reach PostgreSQL at 127\.0\.0\.1:{server.Port} \(connection refused|the PostgreSQL server at 127\.0\.0\.1:{server.Port} is shutting down)", message);
        Check.Contains("still after", message, context);
        Check.Contains($"the environment variable {Variable} ([state] connection_string_env)", message, context);
        Check.NoStackTrace(message, context);

        // A script can catch it, and the kernel goes on serving cells while the database is down.
        Assert.Equal("false 42", Ok(await CellAsync(env, service, "local ok = pcall(State.save, 'ops', 'during', 1) return tostring(ok) .. ' ' .. 6 * 7"), context));
        Assert.False(service.HasExited, $"the service exited while the database was down\n{context}");

        server.Restart();
        Assert.Equal("7", Ok(await CellAsync(env, service, "return State.load('ops', 'before')"), service.Describe()));
        Assert.Equal("8", Ok(await CellAsync(env, service, "State.save('ops', 'after', 8) return State.load('ops', 'after')"), service.Describe()));
        Check.DoesNotContain(password, service.Stdout + service.Stderr + failed, service.Describe());
    }

    [Fact]
    public async Task DryRun_SaysWhereTheConnectionStringComesFromAndWhereItPoints_NeverItsPassword()
    {
        var dsn = TestPostgres.ConnectionString;
        var password = TestPostgres.Password(dsn);
        var at = $"{TestPostgres.Get(dsn, "Host")}:{TestPostgres.Get(dsn, "Port")}";
        using var dir = new TempDir();

        var set = await DryRunAsync(dir, $"[state]\nbackend = \"postgres\"\nconnection_string_env = \"{Variable}\"\n", new() { [Variable] = dsn });
        Check.ExitCode(0, set);
        Check.Contains($"connection_string_env = \"{Variable}\"", set.Stdout, set);
        Check.Contains($"#   postgres, connection string from the environment variable {Variable} ([state] connection_string_env): " +
                       $"set; {at}, database {TestPostgres.Get(dsn, "Database")}, user {TestPostgres.Get(dsn, "Username")}", set.Stdout, set);
        Check.DoesNotContain(password, set.Output, set);

        var file = dir.Write("dsn", dsn + "\n");
        var fromFile = await DryRunAsync(dir, $"[state]\nbackend = \"postgres\"\nconnection_string_file = \"{file}\"\n", []);
        Check.ExitCode(0, fromFile);
        Check.Contains($"from the file {file} ([state] connection_string_file): readable; {at}", fromFile.Stdout, fromFile);
        Check.DoesNotContain(password, fromFile.Output, fromFile);

        var unset = "LLMSPELL_E2E_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var missing = await DryRunAsync(dir, $"[state]\nbackend = \"postgres\"\nconnection_string_env = \"{unset}\"\n", []);
        Check.ExitCode(0, missing);
        Check.Contains("MISSING OR INVALID", missing.Stdout, missing);
        Check.Contains($"llmspell: warning: The environment variable {unset} ([state] connection_string_env) is not set", missing.Stderr, missing);

        var neither = await DryRunAsync(dir, "[state]\nbackend = \"postgres\"\n", []);
        Assert.NotEqual(0, neither.ExitCode);
        Check.Contains("state.connection_string_env", neither.Stderr, neither);
        Check.Contains("is required when backend = \"postgres\"", neither.Stderr, neither);
    }

    private static Task<ProcessResult> DryRunAsync(TempDir dir, string toml, Dictionary<string, string?> environment) =>
        Cli.RunAsync(["kernel", "start", "--dry-run", "--port", "0", "--connection-file", dir.File("kernel.json"), "--config", dir.Write("kernel.toml", toml)],
            workingDirectory: dir.Path, environment: environment);
}
