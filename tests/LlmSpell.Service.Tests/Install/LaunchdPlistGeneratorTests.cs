using System.Text.Json;
using LlmSpell.Service.Install;
using LlmSpell.Service.Paths;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Install;

public class LaunchdPlistGeneratorTests
{
    private const string Python = "/usr/bin/python3";

    // Loads the plist with Python's plistlib and echoes it back as JSON for exact assertions.
    private const string PlistToJson =
        "import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],'rb'))))";

    private static readonly ServiceEnvironment UserEnvironment = new() { Home = "/Users/ada", EffectiveUserId = 501 };

    [Fact]
    public void User_agent_plist_parses_and_runs_in_the_foreground()
    {
        using var temp = new TempDir();
        var binary = temp.CreateExecutable("bin/llmspell");
        var options = new ServiceInstallOptions { ExecutablePath = binary, Port = 9600 };

        var plist = Parse(temp, LaunchdPlistGenerator.Generate(options, new FakeAccounts(), UserEnvironment));

        Assert.Equal("com.llmspell.kernel", plist.GetProperty("Label").GetString());
        Assert.Equal(
            [binary, "kernel", "start", "--port", "9600", "--log-file", "/Users/ada/.local/state/llmspell/kernel.log",
             "--pid-file", "/Users/ada/.local/state/llmspell/run/kernel.pid"],
            plist.GetProperty("ProgramArguments").EnumerateArray().Select(e => e.GetString()));
        Assert.True(plist.GetProperty("RunAtLoad").GetBoolean());
        Assert.True(plist.GetProperty("KeepAlive").GetBoolean());
        Assert.Equal("/Users/ada/.local/state/llmspell/stdout.log", plist.GetProperty("StandardOutPath").GetString());
        Assert.Equal("/Users/ada/.local/state/llmspell/stderr.log", plist.GetProperty("StandardErrorPath").GetString());
        Assert.False(plist.TryGetProperty("UserName", out _));
    }

    [Fact]
    public void System_daemon_plist_escapes_xml_and_names_the_service_user()
    {
        using var temp = new TempDir();
        var binary = temp.CreateExecutable("a&b <dir>/llmspell");
        var options = new ServiceInstallOptions
        {
            ExecutablePath = binary,
            System = true,
            Name = "com.example.llmspell",
            KernelId = "k\"1'",
        };

        var plist = Parse(temp, LaunchdPlistGenerator.Generate(options, new FakeAccounts(("llmspell", "staff"))));

        Assert.Equal("com.example.llmspell", plist.GetProperty("Label").GetString());
        var arguments = plist.GetProperty("ProgramArguments").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(binary, arguments[0]);
        Assert.Equal("k\"1'", arguments[^1]);
        Assert.Contains("/usr/local/var/log/llmspell/kernel.log", arguments);
        Assert.DoesNotContain("--daemon", arguments);
        Assert.Equal("llmspell", plist.GetProperty("UserName").GetString());
        Assert.Equal("/usr/local/var/log/llmspell/stdout.log", plist.GetProperty("StandardOutPath").GetString());
    }

    [Fact]
    public void Plist_paths_follow_the_guide()
    {
        var options = new ServiceInstallOptions { ExecutablePath = "/usr/local/bin/llmspell" };
        var locations = InstallLocations.For(UserEnvironment);

        Assert.Equal("/Users/ada/Library/LaunchAgents/com.llmspell.kernel.plist", LaunchdPlistGenerator.PlistPath(options, locations));
        Assert.Equal("/Library/LaunchDaemons/com.llmspell.kernel.plist", LaunchdPlistGenerator.PlistPath(options with { System = true }, locations));
    }

    private static JsonElement Parse(TempDir temp, string plist)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3");

        var path = temp.Combine("service.plist");
        File.WriteAllText(path, plist);
        var result = ExternalTool.Run(Python, ["-c", PlistToJson, path]);
        Assert.True(result.ExitCode == 0, $"plistlib rejected the plist: {result.StandardError}\n{plist}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }
}
