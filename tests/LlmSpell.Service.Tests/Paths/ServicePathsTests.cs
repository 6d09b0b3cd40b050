using LlmSpell.Service.Paths;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Paths;

public class ServicePathsTests
{
    private static ServiceEnvironment User(string? runtime = null, string? home = "/home/ada") => new()
    {
        Home = home,
        EffectiveUserId = 1000,
        XdgRuntimeDir = runtime,
    };

    [Fact]
    public void Root_gets_system_paths_from_the_guide()
    {
        var paths = ServicePaths.For(new ServiceEnvironment { Home = "/root", EffectiveUserId = 0 });

        Assert.True(paths.IsSystem);
        Assert.Equal("/etc/llmspell/kernel.toml", paths.ConfigFile);
        Assert.Equal("/var/lib/llmspell", paths.StateDir);
        Assert.Equal("/var/run/llmspell/kernel.pid", paths.PidFile);
        Assert.Equal("/var/log/llmspell/kernel.log", paths.LogFile);
        Assert.Equal("/var/run/llmspell", paths.RuntimeDir);
        Assert.Equal("/var/lib/llmspell/kernel.json", paths.ConnectionFile);
    }

    [Fact]
    public void MacOS_system_paths_use_usr_local()
    {
        var paths = ServicePaths.ForSystem(new ServiceEnvironment { Home = "/var/root", EffectiveUserId = 0, IsMacOS = true });

        Assert.Equal("/usr/local/etc/llmspell/kernel.toml", paths.ConfigFile);
        Assert.Equal("/usr/local/var/log/llmspell/kernel.log", paths.LogFile);
    }

    [Fact]
    public void Regular_user_gets_xdg_paths_with_runtime_dir()
    {
        var paths = ServicePaths.For(User(runtime: "/run/user/1000"));

        Assert.False(paths.IsSystem);
        Assert.Equal("/home/ada/.config/llmspell/kernel.toml", paths.ConfigFile);
        Assert.Equal("/home/ada/.local/state/llmspell", paths.StateDir);
        Assert.Equal("/home/ada/.local/state/llmspell/kernel.log", paths.LogFile);
        Assert.Equal("/home/ada/.local/share/llmspell", paths.DataDir);
        Assert.Equal("/run/user/1000/llmspell", paths.RuntimeDir);
        Assert.Equal("/run/user/1000/llmspell/kernel.pid", paths.PidFile);
        Assert.Equal("/run/user/1000/llmspell/services", paths.ServicesDir);
    }

    [Fact]
    public void Without_xdg_runtime_dir_the_runtime_dir_is_under_state()
    {
        Assert.Equal("/home/ada/.local/state/llmspell/run", ServicePaths.ForUser(User()).RuntimeDir);
    }

    [Fact]
    public void Without_home_the_runtime_dir_is_per_uid_in_tmp()
    {
        Assert.Equal("/tmp/llmspell-1000", ServicePaths.ForUser(User(home: null)).RuntimeDir);
    }

    [Fact]
    public void Relative_xdg_values_are_ignored()
    {
        var paths = ServicePaths.ForUser(User() with { XdgConfigHome = "relative/config", XdgStateHome = "/srv/state" });

        Assert.Equal("/home/ada/.config/llmspell/kernel.toml", paths.ConfigFile);
        Assert.Equal("/srv/state/llmspell/kernel.log", paths.LogFile);
    }

    [Fact]
    public void EnsureRuntimeDir_creates_a_private_directory()
    {
        using var temp = new TempDir();
        var paths = ServicePaths.ForUser(User(runtime: temp.Path));

        paths.EnsureRuntimeDir();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(paths.RuntimeDir));
    }
}
