using LlmSpell.State.Postgres;
using Npgsql;

namespace LlmSpell.Tools.Tests.State;

/// <summary>
/// A database of one test's own on a test PostgreSQL server (the shared one by default), so tests run in parallel and
/// each sees the schema created from nothing. Dropped on disposal.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    private readonly string _adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = TestPostgres.With(adminConnectionString, "Database", name);
    }

    public string Name { get; }

    /// <summary>A superuser's connection string to this database (with the password).</summary>
    public string ConnectionString { get; }

    public string Password => TestPostgres.Password(ConnectionString);

    /// <param name="server">Another server than the shared one (a test's own, which it may stop).</param>
    public static PostgresTestDatabase Create(TestPostgresServer? server = null)
    {
        var admin = server?.ConnectionString ?? TestPostgres.ConnectionString;
        var name = "llmspell_t_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(TestPostgres.With(admin, "Pooling", "false")))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new PostgresTestDatabase(admin, name);
    }

    public PostgresConnectionSource Source(string? connectionString = null) =>
        PostgresConnectionSource.FromValue(connectionString ?? ConnectionString, "the test's connection string");

    /// <summary>Runs SQL on this database (its own connection, not pooled) and returns the first column of each row.</summary>
    public List<object?> Query(string sql)
    {
        using var connection = new NpgsqlConnection(TestPostgres.With(ConnectionString, "Pooling", "false"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read()) values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        return values;
    }

    public void Execute(string sql) => Query(sql);

    public void Dispose()
    {
        try
        {
            using var connection = new NpgsqlConnection(TestPostgres.With(_adminConnectionString, "Pooling", "false"));
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // A test's own server may already be gone; its directory goes with it.
        }
    }
}
