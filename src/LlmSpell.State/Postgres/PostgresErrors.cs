using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace LlmSpell.State.Postgres;

/// <summary>PostgreSQL failures as <see cref="StateException"/>s that name the problem and the fix, redacted.</summary>
internal static class PostgresErrors
{
    /// <summary>Whether the database refused who we are: the connection source is read again on the next call.</summary>
    public static bool IsCredentialFailure(NpgsqlException e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification };

    /// <param name="what">"save of 'k' in scope 's'"</param>
    /// <param name="origin">Where the connection string comes from, to point the fix at.</param>
    /// <param name="attempts">How many tries were made (more than one: it was retried).</param>
    public static StateException For(string what, PostgresConnectionString target, string origin, NpgsqlException e, int attempts, TimeSpan elapsed)
    {
        var at = target.Endpoint;
        var tried = attempts > 1
            ? string.Create(CultureInfo.InvariantCulture, $", still after {attempts} attempts over {elapsed.TotalSeconds:0.0} s")
            : "";
        var message = e switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } p =>
                $"State {what} failed: the database at {at} rejected the credentials of user '{target.Username}' ({p.MessageText}); " +
                $"fix the user name or password in {origin}, or the server's pg_hba.conf.",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } p =>
                $"State {what} failed: {p.MessageText} on the PostgreSQL server at {at}; create it (CREATE DATABASE) or fix Database= in {origin}.",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } p =>
                $"State {what} failed: user '{target.Username}' lacks a privilege on database {target.Database} at {at} ({p.MessageText}); " +
                $"grant it CREATE on the schema for the first start (or create the tables once as another user), then SELECT on " +
                $"{PostgresSchema.SchemaTable} and SELECT, INSERT, UPDATE, DELETE on {PostgresSchema.StateTable}.",
            PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow } p =>
                $"State {what} failed: the PostgreSQL server at {at} is shutting down or starting up ({p.MessageText}{tried}); retry once it is back.",
            PostgresException { SqlState: PostgresErrorCodes.TooManyConnections } p =>
                $"State {what} failed: the PostgreSQL server at {at} has no free connection ({p.MessageText}{tried}); raise its max_connections, " +
                $"or lower Max Pool Size in {origin}.",
            PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } p =>
                $"State {what} failed: the PostgreSQL server at {at} accepts no writes ({p.MessageText}); point {origin} at the primary.",
            PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
                $"State {what} failed: PostgreSQL cannot store the NUL character (\\0) in a scope or key; remove it from the name.",
            PostgresException p =>
                $"State {what} failed on the PostgreSQL server at {at}: {p.MessageText} (SQLSTATE {p.SqlState}{tried}).",
            _ when Find<SocketException>(e) is { } s =>
                $"State {what} failed: cannot reach PostgreSQL at {at} ({Describe(s)}{tried}); check {origin} and that the server is running and reachable.",
            _ when Find<TimeoutException>(e) is not null =>
                $"State {what} failed: PostgreSQL at {at} did not answer in time ({e.Message.TrimEnd('.')}{tried}); check {origin} and the server's load and network.",
            _ when Find<IOException>(e) is { } io =>
                $"State {what} failed: the connection to PostgreSQL at {at} was lost ({io.Message.TrimEnd('.')}{tried}); check the server and the network.",
            _ =>
                $"State {what} failed on PostgreSQL at {at}: {e.Message.TrimEnd('.')} ({e.GetType().Name}{tried}); check {origin} and the server.",
        };
        return new StateException(target.Redact(message), e);
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is T found) return found;
        return null;
    }

    private static string Describe(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "host not found",
        SocketError.TryAgain => "host name lookup failed, temporarily",
        SocketError.TimedOut => "connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "unreachable",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "connection reset",
        _ => s.Message.TrimEnd('.'),
    };
}
