using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Security;

/// <summary>HTTPS from PEM files made at test time with openssl; the CLI trusts them with --ca-cert or skips with --insecure.</summary>
public sealed class TlsTests
{
    private static async Task<(string Cert, string Key)> SelfSignedAsync(TempDir dir)
    {
        var openssl = RequiredTool.Find("openssl", "openssl");
        var cert = dir.File("cert.pem");
        var key = dir.File("key.pem");
        var result = await ProcessRunner.RunAsync(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert]);
        Check.ExitCode(0, result);
        return (cert, key);
    }

    [Fact]
    public async Task Https_with_a_test_certificate_is_trusted_only_when_told()
    {
        var dir = new TempDir();
        var (cert, key) = await SelfSignedAsync(dir);
        await using var service = await SecuredService.StartAsync($"[security]\ntls_enabled = true\ntls_cert = \"{cert}\"\ntls_key = \"{key}\"\n", dir);
        Assert.Equal("https", service.BaseUrl.Scheme);
        var url = $"https://127.0.0.1:{service.BaseUrl.Port}";

        var untrusted = await Curl.RunAsync($"{url}/health");
        Assert.NotEqual(0, untrusted.ExitCode); // curl: (60) SSL certificate problem
        var plain = await Curl.RunAsync("-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{service.BaseUrl.Port}/health");
        Assert.NotEqual("200", plain.Stdout.Trim());
        var trusted = await Curl.RunAsync("--cacert", cert, $"{url}/health");
        Check.ExitCode(0, trusted);
        Check.Contains("healthy", trusted.Stdout, trusted);

        var withCa = await service.CliAsync("kernel", "status", "--url", url, "--ca-cert", cert);
        Check.ExitCode(0, withCa);
        Check.Contains(url, withCa.Stdout, withCa);
        var insecure = await service.CliAsync("kernel", "status", "--url", url, "--insecure");
        Check.ExitCode(0, insecure);
        var refused = await service.CliAsync("kernel", "status", "--url", url);
        Check.ExitCode(1, refused);
        Check.Contains("--ca-cert", refused.Stderr, refused);
        Check.NoStackTrace(refused.Stderr, refused);
        var viaConfig = await service.CliAsync("kernel", "status", "--port", service.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", service.ConfigFile, "--ca-cert", cert);
        Check.ExitCode(0, viaConfig);
    }

    [Fact]
    public async Task Missing_certificate_file_stops_start_with_a_message_naming_it()
    {
        using var dir = new TempDir();
        var missing = dir.File("missing-cert.pem");
        var config = dir.Write("kernel.toml", $"[security]\ntls_enabled = true\ntls_cert = \"{missing}\"\ntls_key = \"{dir.File("missing-key.pem")}\"\n");
        var result = await Cli.RunAsync(["kernel", "start", "--port", "0", "--config", config, "--connection-file", dir.File("kernel.json")],
            timeout: TimeSpan.FromSeconds(60), workingDirectory: dir.Path, environment: SecuredService.EnvironmentFor(dir));
        Assert.NotEqual(0, result.ExitCode);
        Check.Contains(missing, result.Stderr, result);
        Check.Contains("tls_cert", result.Stderr, result);
    }
}
