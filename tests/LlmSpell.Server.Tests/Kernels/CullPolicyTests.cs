using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;

namespace LlmSpell.Server.Tests.Kernels;

/// <summary>The culler's decision, as Jupyter Server's cull_kernel_if_idle takes it, plus the default kernel's exemption.</summary>
public class CullPolicyTests
{
    private static readonly TimeSpan LongIdle = TimeSpan.FromSeconds(61);

    private static KernelsSection Options(bool connected = false, bool busy = false) =>
        new() { CullIdleTimeout = 60, CullConnected = connected, CullBusy = busy };

    private static CullCandidate Kernel(TimeSpan idle, KernelState state = KernelState.Idle, int connections = 0, bool isDefault = false) =>
        new("k", isDefault, state, connections, idle);

    [Fact]
    public void An_idle_kernel_past_the_timeout_is_culled_and_one_within_it_is_not()
    {
        Assert.True(CullPolicy.ShouldCull(Kernel(LongIdle), Options()));
        Assert.False(CullPolicy.ShouldCull(Kernel(TimeSpan.FromSeconds(59)), Options()));
    }

    [Fact]
    public void A_timeout_of_zero_never_culls()
    {
        Assert.False(CullPolicy.ShouldCull(Kernel(TimeSpan.FromDays(30)), new KernelsSection { CullIdleTimeout = 0 }));
        Assert.False(CullPolicy.ShouldCull(Kernel(TimeSpan.FromDays(30), KernelState.Dead), new KernelsSection { CullIdleTimeout = 0 }));
    }

    [Fact]
    public void The_default_kernel_is_never_culled_even_with_every_flag_set()
    {
        Assert.False(CullPolicy.ShouldCull(Kernel(TimeSpan.FromDays(30), isDefault: true), Options(connected: true, busy: true)));
        Assert.False(CullPolicy.ShouldCull(Kernel(TimeSpan.FromDays(30), KernelState.Dead, isDefault: true), Options()));
    }

    [Fact]
    public void A_kernel_with_an_open_websocket_is_spared_unless_cull_connected()
    {
        Assert.False(CullPolicy.ShouldCull(Kernel(LongIdle, connections: 1), Options()));
        Assert.True(CullPolicy.ShouldCull(Kernel(LongIdle, connections: 1), Options(connected: true)));
    }

    [Fact]
    public void A_busy_kernel_is_spared_unless_cull_busy()
    {
        Assert.False(CullPolicy.ShouldCull(Kernel(LongIdle, KernelState.Busy), Options()));
        Assert.True(CullPolicy.ShouldCull(Kernel(LongIdle, KernelState.Busy), Options(busy: true)));
        Assert.False(CullPolicy.ShouldCull(Kernel(TimeSpan.FromSeconds(1), KernelState.Busy), Options(busy: true)));
    }

    [Fact]
    public void A_dead_kernel_is_culled_at_once_as_in_jupyter_server()
    {
        Assert.True(CullPolicy.ShouldCull(Kernel(TimeSpan.Zero, KernelState.Dead, connections: 2), Options()));
    }
}
