using LlmSpell.Server.Kernels;

namespace LlmSpell.Server.Tests.Api;

public class KernelCapacityTests
{
    [Theory]
    [InlineData(1024L, 24)]      // a 1,024-descriptor soft limit leaves room for 24 kernels
    [InlineData(65536L, 83)]     // many descriptors: NetMQ's 1,024 sockets (about 11 per kernel) are the bound
    [InlineData(100L, 1)]        // never below the default kernel
    public void Derived_limit_is_the_lower_of_the_socket_and_descriptor_budgets(long openFiles, int expected) =>
        Assert.Equal(expected, KernelCapacity.Derived(openFiles));

    [Fact]
    public void A_configured_limit_wins_and_zero_derives_one_from_this_process()
    {
        Assert.Equal(7, KernelCapacity.Effective(7));
        Assert.Equal(KernelCapacity.Derived(KernelCapacity.OpenFileLimit()), KernelCapacity.Effective(0));
        Assert.True(KernelCapacity.OpenFileLimit() > 0);
    }
}
