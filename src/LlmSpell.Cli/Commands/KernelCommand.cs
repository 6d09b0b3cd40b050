using System.CommandLine;

namespace LlmSpell.Cli.Commands;

public static class KernelCommand
{
    public static Command Create() => new("kernel", "Run and manage the LLMSpell kernel service")
    {
        StartCommand.Create(),
        StatusCommand.Create(),
        StatsCommand.Create(),
        ReloadCommand.Create(),
        StopCommand.Create(),
        InstallServiceCommand.CreateInstall(),
        InstallServiceCommand.CreateUninstall(),
        RunKernelCommand.Create(),
        InstallKernelspecCommand.Create(),
    };
}
