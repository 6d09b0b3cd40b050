using LlmSpell.Service.Processes;

namespace LlmSpell.Service.Tests.Install;

public class HostCommandTests
{
    [Fact]
    public void Native_binary_needs_no_prefix() =>
        Assert.Equal(["/usr/local/bin/llmspell"], HostCommand.Resolve("/usr/local/bin/llmspell").ToArgv());

    [Fact]
    public void Dotnet_host_gets_the_absolute_dll()
    {
        var command = HostCommand.Resolve("/usr/share/dotnet/dotnet", "/opt/llmspell/llmspell.dll");

        Assert.Equal(["/usr/share/dotnet/dotnet", "/opt/llmspell/llmspell.dll"], command.ToArgv());
        Assert.Throws<ArgumentException>(() => HostCommand.Resolve("/usr/share/dotnet/dotnet"));
    }

    [Fact]
    public void Current_process_resolves_to_existing_files()
    {
        var command = HostCommand.Current();

        Assert.All(command.ToArgv(), path => Assert.True(File.Exists(path), path));
    }
}
