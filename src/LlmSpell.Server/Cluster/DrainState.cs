namespace LlmSpell.Server.Cluster;

/// <summary>Set once shutdown begins in cluster mode: the instance takes no new kernels but serves those it has.</summary>
public sealed class DrainState
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public void Begin() => _draining = true;
}
