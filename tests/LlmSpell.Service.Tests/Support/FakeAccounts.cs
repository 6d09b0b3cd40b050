using LlmSpell.Service.Install;

namespace LlmSpell.Service.Tests.Support;

/// <summary>An account database with exactly the given user → group entries.</summary>
internal sealed class FakeAccounts(params (string User, string Group)[] accounts) : IServiceAccountLookup
{
    public string? PrimaryGroupOf(string user) => accounts.FirstOrDefault(a => a.User == user).Group;
}
