namespace LlmSpell.Kernel.Tests.Unit;

public class KernelMessageTypesTests
{
    [Fact]
    public void EachChannelListsTheTypesItsHandlerTableServes()
    {
        Assert.Equal(
            ["comm_close", "comm_info_request", "comm_msg", "comm_open", "complete_request", "execute_request",
             "history_request", "inspect_request", "is_complete_request", "kernel_info_request"],
            KernelMessageTypes.Shell.Order(StringComparer.Ordinal));
        Assert.Equal(["debug_request", "interrupt_request", "kernel_info_request", "shutdown_request"],
            KernelMessageTypes.Control.Order(StringComparer.Ordinal));
        Assert.Equal(["input_reply"], KernelMessageTypes.Stdin);
    }

    [Fact]
    public void AllIsTheUnionOfTheChannels()
    {
        Assert.Equal(14, KernelMessageTypes.All.Count);
        Assert.True(KernelMessageTypes.All.SetEquals(KernelMessageTypes.Shell.Concat(KernelMessageTypes.Control).Concat(KernelMessageTypes.Stdin)));
        Assert.DoesNotContain("execute_reply", KernelMessageTypes.All);
    }
}
