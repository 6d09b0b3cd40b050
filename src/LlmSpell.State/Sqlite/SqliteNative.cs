namespace LlmSpell.State.Sqlite;

/// <summary>
/// Binds Microsoft.Data.Sqlite to the bundled e_sqlite3 library. Microsoft.Data.Sqlite finds the bundle by reflection,
/// which trimming may remove under Native AOT; the direct call keeps it.
/// </summary>
internal static class SqliteNative
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    public static void EnsureInitialized() => _ = Initialized.Value;
}
