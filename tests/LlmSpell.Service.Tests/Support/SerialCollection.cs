namespace LlmSpell.Service.Tests.Support;

/// <summary>Tests that change process-wide state (umask) or spawn daemons run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "process-wide state";
}
