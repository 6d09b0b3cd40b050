using System.Diagnostics;
using LlmSpell.EndToEnd.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.EndToEnd.Tests.Scripting;

/// <summary>`llmspell run`, `exec` and `providers` as a user runs them, against a provider double.</summary>
public sealed class ScriptCommandTests
{
    private const string Secret = "sk-e2e-secret-4f1c9a";

    private sealed class Setup : IAsyncDisposable
    {
        public required ProviderDouble Double { get; init; }
        public required TempDir Dir { get; init; }
        public required string Config { get; init; }

        public Dictionary<string, string?> Env => new() { ["OPENAI_API_KEY"] = Secret, ["HOME"] = Dir.Path };

        public Task<ProcessResult> RunAsync(params string[] args) =>
            Cli.RunAsync(args, TimeSpan.FromSeconds(60), Dir.Path, Env);

        public async ValueTask DisposeAsync()
        {
            await Double.DisposeAsync();
            Dir.Dispose();
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var d = await ProviderDouble.StartAsync();
        var dir = new TempDir();
        var config = dir.Write("kernel.toml", $"""
            [daemon]
            working_dir = "{dir.Path}"

            [providers]
            default_provider = "openai"

            [providers.openai]
            base_url = "{d.OpenAIBaseUrl}"
            api_key_env = "OPENAI_API_KEY"
            default_model = "gpt-test"

            [providers.local]
            provider_type = "ollama"
            base_url = "{d.BaseUrl}"
            default_model = "llama-test"
            """);
        return new Setup { Double = d, Dir = dir, Config = config };
    }

    [Fact]
    public async Task Exec_CallsTheModelAndPrintsTheValue()
    {
        await using var s = await StartAsync();
        var r = await s.RunAsync("exec", "--config", s.Config, "return Agent.builder():build():execute('hi there').text");
        Check.ExitCode(0, r);
        Assert.Equal("echo: hi there", r.Stdout.Trim());
        var sent = Assert.Single(s.Double.Requests, q => q.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
        Assert.Equal($"Bearer {Secret}", sent.Headers.First(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value);
        var local = await s.RunAsync("exec", "--config", s.Config, "return Agent.builder():model('local/llama-test'):build():execute('x').metadata.provider");
        Check.ExitCode(0, local);
        Assert.Equal("local", local.Stdout.Trim());
    }

    [Fact]
    public async Task Run_StreamsOutputAndSeesArgs()
    {
        await using var s = await StartAsync();
        var script = s.Dir.Write("job.lua", """
            #!/usr/bin/env llmspell
            local agent = Agent.builder():model("openai/gpt-test"):build()
            agent:stream("streamed words here")
            print("")
            print(ARGS[0], ARGS[1], ARGS[2], ARGS.mode, ARGS.verbose)
            """);
        var r = await s.RunAsync("run", "--config", s.Config, script, "--", "a", "--mode", "fast", "b", "--verbose");
        Check.ExitCode(0, r);
        var lines = r.Stdout.Split('\n');
        Assert.Equal("echo: streamed words here", lines[0]);
        Assert.Equal($"{script}\ta\tb\tfast\ttrue", lines[1]);
    }

    [Fact]
    public async Task Run_ExitCodesFollowTheOutcome()
    {
        await using var s = await StartAsync();
        var failing = s.Dir.Write("bad.lua", "local x = 1\nerror('went wrong')\n");
        var error = await s.RunAsync("run", "--config", s.Config, failing);
        Check.ExitCode(1, error);
        Check.Contains("bad.lua:2: went wrong", error.Stderr, error);
        Check.NoStackTrace(error.Stderr, error);

        var missing = await s.RunAsync("run", "--config", s.Config, s.Dir.File("nope.lua"));
        Check.ExitCode(2, missing);
        Check.Contains("cannot read script", missing.Stderr, missing);

        var badConfig = s.Dir.Write("bad.toml", "[providers.x]\nprovider_type = \"gpt\"\n");
        var config = await s.RunAsync("exec", "--config", badConfig, "return 1");
        Check.ExitCode(2, config);
        Check.Contains("providers.x.provider_type", config.Stderr, config);
        Check.Contains("openai, anthropic, ollama", config.Stderr, config);
    }

    [Fact]
    public async Task Run_CtrlC_CancelsTheCallInFlightAndExits130()
    {
        await using var s = await StartAsync();
        s.Double.Enqueue(Fault.StallAfterChunks(1));
        var script = s.Dir.Write("stall.lua", "Agent.builder():build():stream('a b c d e f')\n");
        var info = new ProcessStartInfo(LlmSpellBinary.Executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = s.Dir.Path,
        };
        foreach (var a in new[] { "run", "--config", s.Config, script }) info.ArgumentList.Add(a);
        ProcessRunner.ApplyEnvironment(info, s.Env);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(await Wait.ForAsync(() => s.Double.Requests.Any(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)), TimeSpan.FromSeconds(20)), "the call never reached the double");
        var watch = Stopwatch.StartNew();
        Processes.Signal(process.Id, 2); // SIGINT, as Ctrl+C sends
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(130, process.ExitCode);
        Assert.True(watch.ElapsedMilliseconds < 3000, $"Ctrl+C took {watch.ElapsedMilliseconds} ms");
        Assert.Contains("interrupt", (await stderr).ToLowerInvariant());
    }

    [Fact]
    public async Task Secrets_AreNotReadableFromLuaNorPrinted()
    {
        await using var s = await StartAsync();
        var r = await s.RunAsync("exec", "--config", s.Config, "return tostring(os.getenv('OPENAI_API_KEY')) .. ' ' .. tostring(os.getenv('LLMSPELL_HMAC_KEY'))");
        Check.ExitCode(0, r);
        Assert.Equal("nil nil", r.Stdout.Trim());

        var list = await s.RunAsync("providers", "list", "--config", s.Config);
        Check.ExitCode(0, list);
        Check.Contains("env:OPENAI_API_KEY", list.Stdout, list);
        Check.DoesNotContain(Secret, list.Output, list);

        var dry = await s.RunAsync("kernel", "start", "--config", s.Config, "--dry-run");
        Check.Contains("openai: openai at " + s.Double.OpenAIBaseUrl, dry.Stdout, dry);
        Check.DoesNotContain(Secret, dry.Output, dry);
        Assert.Empty(s.Double.Requests);
    }

    [Fact]
    public async Task Hostile_AScriptChosenUrlNeverReceivesTheConfiguredKey()
    {
        await using var s = await StartAsync();
        await using var attacker = await ProviderDouble.StartAsync();
        var refused = await s.RunAsync("exec", "--config", s.Config,
            $"return Agent.builder():model('openai/gpt-test'):base_url('{attacker.OpenAIBaseUrl}'):build():execute('hi').text");
        Check.ExitCode(1, refused);
        Check.Contains("base_url needs the script's own api_key", refused.Stderr, refused);

        var own = await s.RunAsync("exec", "--config", s.Config,
            $"return Agent.builder():model('openai/gpt-test'):base_url('{attacker.OpenAIBaseUrl}'):api_key('sk-script'):build():execute('hi').text");
        Check.ExitCode(0, own);
        Assert.NotEmpty(attacker.Requests);
        Assert.DoesNotContain(attacker.Requests, r => r.Headers.Values.Any(v => v.Contains(Secret, StringComparison.Ordinal)) || r.Body.Contains(Secret, StringComparison.Ordinal));

        var insecure = await s.RunAsync("exec", "--config", s.Config,
            "return Agent.builder():model('openai/gpt-test'):base_url('http://192.0.2.1/v1'):api_key('sk-script'):build():execute('hi').text");
        Check.ExitCode(1, insecure);
        Check.Contains("http://", insecure.Stderr, insecure);
        Check.NoStackTrace(insecure.Stderr, insecure);
    }

    [Fact]
    public async Task Faults_ARateLimitIsRetriedAfterRetryAfter_AndAnUnauthorizedKeyIsNot()
    {
        await using var s = await StartAsync();
        s.Double.Enqueue(Fault.Status(429, retryAfterSeconds: 1));
        var retried = await s.RunAsync("exec", "--config", s.Config, "local r = Agent.builder():build():execute('hi') return r.metadata.attempts .. ' ' .. r.text");
        Check.ExitCode(0, retried);
        Assert.Equal("2 echo: hi", retried.Stdout.Trim());

        s.Double.RequiredApiKey = "sk-some-other-key";
        var before = s.Double.Requests.Count;
        var unauthorized = await s.RunAsync("exec", "--config", s.Config, "return Agent.builder():build():execute('hi').text");
        Check.ExitCode(1, unauthorized);
        Check.Contains("openai", unauthorized.Stderr, unauthorized);
        Check.Contains("401", unauthorized.Stderr, unauthorized);
        Check.DoesNotContain(Secret, unauthorized.Output, unauthorized);
        Assert.Equal(before + 1, s.Double.Requests.Count);

        s.Double.RequiredApiKey = null;
        s.Double.Enqueue(Fault.Malformed());
        var malformed = await s.RunAsync("exec", "--config", s.Config, "return Agent.builder():build():stream('a b', function() end).text");
        Check.ExitCode(1, malformed);
        Check.Contains("malformed", malformed.Stderr, malformed);
        Check.NoStackTrace(malformed.Stderr, malformed);
    }

    [Fact]
    public async Task ProvidersCheck_MakesOneRealCallPerProvider()
    {
        await using var s = await StartAsync();
        var r = await s.RunAsync("providers", "check", "--config", s.Config);
        Check.ExitCode(0, r);
        Check.Contains("openai: ok", r.Stdout, r);
        Check.Contains("local: ok", r.Stdout, r);
        var unknown = await s.RunAsync("providers", "check", "--config", s.Config, "nosuch");
        Check.ExitCode(4, unknown);
        Check.Contains("configured providers: openai, local", unknown.Stderr, unknown);
    }
}
