using LlmSpell.Cli.Commands;
using LlmSpell.Server.Config;
using LlmSpell.Server.Security;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Security;

public sealed class SecurityUnitTests
{
    [Theory]
    [InlineData("http://localhost:8888", true)]
    [InlineData("https://localhost", true)]
    [InlineData("http://127.0.0.1:3000", true)]
    [InlineData("http://evil.example", false)]
    [InlineData("http://localhost.evil.example", false)]
    [InlineData("null", false)]
    [InlineData("file://", false)]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com:8443", false)]
    [InlineData("http://app.example.com", false)]
    [InlineData("http://lab.example.org:9000", true)]
    [InlineData("http://lab.example.org:9001", false)]
    public void Origin_entries_are_hosts_host_ports_or_full_origins(string origin, bool allowed)
    {
        var policy = new OriginPolicy(["localhost", "127.0.0.1", "https://app.example.com", "lab.example.org:9000"]);
        Assert.Equal(allowed, policy.IsOriginAllowed(origin));
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("192.168.1.20", true)]
    [InlineData("app.example.com", true)]
    [InlineData("APP.example.com.", true)]
    [InlineData("evil.example", false)]
    [InlineData("", false)]
    public void Hosts_are_ip_literals_localhost_or_listed_names(string host, bool allowed) =>
        Assert.Equal(allowed, new OriginPolicy(["localhost", "https://app.example.com"]).IsHostAllowed(host));

    [Fact]
    public void Star_allows_every_origin_and_host()
    {
        var policy = new OriginPolicy(["*"]);
        Assert.True(policy.IsOriginAllowed("http://anything.example"));
        Assert.True(policy.IsHostAllowed("anything.example"));
    }

    [Fact]
    public void Token_verifier_accepts_only_the_exact_key()
    {
        var runtime = new ServiceRuntime { ServiceId = "s", RuntimeDirectory = "/tmp", DefaultConnectionFile = "/tmp/k.json", Key = "abcdef0123456789" };
        var verifier = new TokenVerifier(runtime);
        Assert.True(verifier.Matches("abcdef0123456789"));
        Assert.False(verifier.Matches("abcdef012345678"));
        Assert.False(verifier.Matches("abcdef0123456788"));
        Assert.False(verifier.Matches("abcdef0123456789 "));
        Assert.False(verifier.Matches(""));
    }

    [Fact]
    public void Config_file_with_key_readable_by_others_warns_and_0600_does_not()
    {
        using var dir = new TempDir();
        var file = dir.Write("kernel.toml", "[security]\nhmac_key = \"k\"\n");
        var options = new LlmSpellOptions { Security = { HmacKey = "k" } };
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var warning = SecurityChecks.ConfigFileExposesSecret(file, options);
        Assert.NotNull(warning);
        Assert.Contains("chmod 600", warning);
        Assert.Contains("0644", warning);
        Assert.DoesNotContain("\"k\"", warning);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(SecurityChecks.ConfigFileExposesSecret(file, options));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Contains("its group", SecurityChecks.ConfigFileExposesSecret(file, options));
        Assert.Null(SecurityChecks.ConfigFileExposesSecret(file, new LlmSpellOptions()));
    }

    [Fact]
    public void Config_file_with_an_inline_provider_key_readable_by_others_warns_without_the_key()
    {
        using var dir = new TempDir();
        var file = dir.Write("kernel.toml", "[providers.openai]\napi_key = \"sk-inline-123\"\n");
        var options = new LlmSpellOptions();
        options.Providers.GetOrAdd("openai").ApiKey = "sk-inline-123";
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var warning = SecurityChecks.ConfigFileExposesSecret(file, options);
        Assert.NotNull(warning);
        Assert.Contains("providers.openai.api_key", warning);
        Assert.Contains("api_key_env", warning);
        Assert.DoesNotContain("sk-inline-123", warning);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(SecurityChecks.ConfigFileExposesSecret(file, options));
    }

    [Fact]
    public void Binding_beyond_loopback_without_tls_or_with_a_generated_key_warns()
    {
        Assert.Empty(SecurityChecks.ExposureWarnings(new LlmSpellOptions(), keyWasGenerated: true));
        var exposed = new LlmSpellOptions { Kernel = { Ip = "0.0.0.0" } };
        var warnings = SecurityChecks.ExposureWarnings(exposed, keyWasGenerated: true);
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith("SECURITY:", w));
        exposed.Security.TlsEnabled = true;
        Assert.Single(SecurityChecks.ExposureWarnings(exposed, keyWasGenerated: true));
        Assert.Empty(SecurityChecks.ExposureWarnings(exposed, keyWasGenerated: false));
    }

    [Fact]
    public void Missing_tls_files_are_a_config_error_naming_them()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ConfigException>(() => TlsCertificate.Load(dir.Combine("cert.pem"), dir.Combine("key.pem")));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(dir.Combine("cert.pem"), e.Message);
        Assert.Contains("No such file", e.Message);
        var junk = dir.Write("junk.pem", "not pem");
        var bad = Assert.Throws<ConfigException>(() => TlsCertificate.Load(junk, junk));
        Assert.Contains(junk, bad.Message);
    }

    [Fact]
    public void Cli_token_precedence_is_option_env_then_local_sources_only_for_loopback()
    {
        using var dir = new TempDir();
        var config = dir.Write("kernel.toml", "[security]\nhmac_key = \"from-config\"\n");
        var loopback = new Uri("http://127.0.0.1:1");
        var env = new Dictionary<string, string?> { ["LLMSPELL_TOKEN"] = "from-env" };
        Assert.Equal("from-option", CommonOptions.ResolveToken("from-option", loopback, false, CommonOptions.TryLoadOptions(config, env), env).Token);
        Assert.Equal("from-env", CommonOptions.ResolveToken(null, loopback, false, CommonOptions.TryLoadOptions(config, env), env).Token);
        var empty = new Dictionary<string, string?>();
        Assert.Equal("from-config", CommonOptions.ResolveToken(null, loopback, false, CommonOptions.TryLoadOptions(config, empty), empty).Token);
        var remote = CommonOptions.ResolveToken(null, new Uri("https://other.example:9555"), false, CommonOptions.TryLoadOptions(config, empty), empty);
        Assert.Null(remote.Token);
        Assert.Contains("--token", remote.Hint);
        var none = CommonOptions.ResolveToken(null, loopback, false, CommonOptions.TryLoadOptions(dir.Write("empty.toml", ""), empty), empty);
        Assert.Null(none.Token);
        Assert.Contains("token-1", none.Hint);
        Assert.Contains("LLMSPELL_TOKEN", none.Hint);
    }
}
