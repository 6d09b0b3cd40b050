using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Security;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Reliability;

/// <summary>
/// The hostile-testing campaign's kernel cases against the real binary, each next to a legitimate jupyter_client
/// session whose state and iopub stream must survive (see Reliability/hostile_e2e.py).
/// </summary>
public sealed class HostileInputTests
{
    private const string Python = "/usr/bin/python3";

    private static async Task<JsonElement> Run(SecuredService service, string scenario, params string[] args)
    {
        if (!File.Exists(Python)) Assert.Fail("/usr/bin/python3 is missing: apt-get install python3 python3-jupyter-client python3-zmq");
        var script = Path.Combine(AppContext.BaseDirectory, "Reliability", "hostile_e2e.py");
        var result = await ProcessRunner.RunAsync(Python, [script, service.ConnectionFile, scenario, .. args], timeout: TimeSpan.FromSeconds(180));
        if (result.ExitCode == 3) Assert.Fail("jupyter_client missing for /usr/bin/python3: apt-get install python3-jupyter-client python3-zmq\n" + result);
        Assert.True(result.ExitCode == 0, result + "\n--- service ---\n" + service.Output);
        return Check.Json(result.Stdout.Trim().Split('\n')[^1], result);
    }

    [Fact]
    public async Task An_unparseable_header_date_is_rejected_and_counted_and_never_echoed_to_subscribers()
    {
        await using var service = await SecuredService.StartAsync();
        var before = await KernelHostileTests.RejectedByReason(service);
        var outcome = await Run(service, "bad_date");
        // Only the kernel_info_request after it is answered; the bad-date execute never ran.
        var types = outcome.GetProperty("replies").EnumerateArray().Select(r => r.GetProperty("msg_type").GetString() ?? "").Where(t => t != "status").ToList();
        Assert.Equal(new List<string> { "kernel_info_reply" }, types);
        var after = await KernelHostileTests.RejectedByReason(service);
        Assert.Equal(before.GetValueOrDefault("bad_date") + 1, after.GetValueOrDefault("bad_date"));
    }

    [Fact]
    public async Task Duplicate_json_keys_in_a_signed_header_or_content_are_dropped_counted_and_never_logged_as_a_stack_trace()
    {
        await using var service = await SecuredService.StartAsync();
        var before = await KernelHostileTests.RejectedByReason(service);
        var outcome = await Run(service, "duplicate_keys");
        Assert.DoesNotContain(outcome.GetProperty("replies").EnumerateArray(), r => r.GetProperty("msg_type").GetString() != "status");
        var after = await KernelHostileTests.RejectedByReason(service);
        Assert.Equal(before.GetValueOrDefault("bad_json") + 2, after.GetValueOrDefault("bad_json"));
        Assert.DoesNotContain("ArgumentException", service.Output);
        Check.NoStackTrace(service.Output, service.Output);
    }

    [Fact]
    public async Task A_msg_type_with_newlines_and_control_characters_cannot_forge_a_log_line()
    {
        await using var service = await SecuredService.StartAsync("[logging]\nlog_level = \"debug\"\n");
        await Run(service, "forged_log");
        var lines = service.Output.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("2026-12-01T00:00:00.000+00:00 [INFO] Auth: FORGED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(@"x\x0a2026-12-01", StringComparison.Ordinal) || l.Contains(@"x\n2026-12-01", StringComparison.Ordinal));
        Assert.DoesNotContain('\0', service.Output);
        Assert.DoesNotContain('\u001b', service.Output);
    }

    [Fact]
    public async Task History_is_capped_by_bytes_and_a_tail_of_1000_fits_the_message_size_limit()
    {
        await using var service = await SecuredService.StartAsync("[security]\nmax_message_size_mb = 4\n");
        var outcome = await Run(service, "history", "6", "1");
        Assert.Equal("ok", outcome.GetProperty("status").GetString());
        Assert.True(outcome.GetProperty("reply_bytes").GetInt32() < 4 * 1024 * 1024, outcome.ToString());
        Assert.True(outcome.GetProperty("truncated").GetInt32() >= 6, $"each 1 MiB cell is stored truncated: {outcome}");
    }

    [Fact]
    public async Task A_finalizer_is_refused_in_the_sandbox_with_a_lua_error_and_the_kernel_stays_usable()
    {
        await using var service = await SecuredService.StartAsync();
        var outcome = await Run(service, "finalizer");
        var refused = outcome.GetProperty("refused");
        Assert.Equal("error", refused.GetProperty("status").GetString());
        Assert.Contains("__gc finalizers are not allowed in the sandbox", refused.GetProperty("evalue").GetString());
        Assert.Contains("allow_unsafe_lua", refused.GetProperty("evalue").GetString());
        Assert.Equal("7", outcome.GetProperty("fine").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Inspect_and_complete_never_run_a_hostile_metamethod()
    {
        await using var service = await SecuredService.StartAsync();
        var outcome = await Run(service, "introspection");
        foreach (var request in outcome.EnumerateObject())
        {
            Assert.Equal("ok", request.Value.GetProperty("status").GetString());
            Assert.True(request.Value.GetProperty("seconds").GetDouble() < 5, $"{request.Name}: {request.Value}");
        }
    }

    [Fact]
    public async Task Tmpname_and_tmpfile_stay_inside_the_working_directory()
    {
        using var dir = new TempDir();
        var wd = dir.File("wd");
        Directory.CreateDirectory(wd);
        await using var service = await SecuredService.StartAsync($"[daemon]\nworking_dir = \"{wd}\"\n", dir);
        var outcome = await Run(service, "tmpname");
        var path = outcome.GetProperty("tmpname").GetProperty("result").GetString()!;
        Assert.StartsWith(wd + "/", path);
        Assert.True(File.Exists(path), path);
        Assert.Equal("true", outcome.GetProperty("tmpfile").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Os_getenv_sees_only_the_allow_list_and_never_a_key()
    {
        var environment = new Dictionary<string, string?>
        {
            ["LLMSPELL_HMAC_KEY"] = "hmac-secret-for-the-test", ["OPENAI_API_KEY"] = "sk-test-secret",
            ["LLMSPELL_TEST_VISIBLE"] = "visible", ["LANG"] = "C.UTF-8",
        };
        await using var service = await SecuredService.StartAsync(
            "[security]\nlua_env_allow = [\"LANG\", \"LLMSPELL_TEST_VISIBLE\", \"OPENAI_API_KEY\", \"LLMSPELL_HMAC_KEY\"]\n", extraEnvironment: environment);
        var values = (await Run(service, "getenv", "LANG", "LLMSPELL_TEST_VISIBLE", "OPENAI_API_KEY", "LLMSPELL_HMAC_KEY", "PATH", "HOME"))
            .GetProperty("values");
        Assert.Equal("C.UTF-8", values.GetProperty("LANG").GetString());
        Assert.Equal("visible", values.GetProperty("LLMSPELL_TEST_VISIBLE").GetString());
        Assert.Equal("nil", values.GetProperty("OPENAI_API_KEY").GetString());
        Assert.Equal("nil", values.GetProperty("LLMSPELL_HMAC_KEY").GetString());
        Assert.Equal("nil", values.GetProperty("PATH").GetString());
        Assert.Equal("nil", values.GetProperty("HOME").GetString());   // not listed in this configuration
    }

    [Fact]
    public async Task A_backtracking_pattern_is_stopped_by_a_jupyter_interrupt_for_find_match_gsub_and_gmatch()
    {
        await using var service = await SecuredService.StartAsync();
        var outcome = await Run(service, "pattern");
        foreach (var function in new[] { "find", "match", "gsub", "gmatch" })
        {
            var result = outcome.GetProperty(function);
            Assert.Equal("error", result.GetProperty("status").GetString());
            Assert.Equal("KeyboardInterrupt", result.GetProperty("ename").GetString());
            Assert.True(result.GetProperty("seconds").GetDouble() < 2, $"{function}: {result}");
        }
    }

    [Fact]
    public async Task A_request_path_with_an_encoded_newline_cannot_forge_a_log_line()
    {
        await using var service = await SecuredService.StartAsync();
        var forged = "/%0a2026-12-01T00:00:00.000+00:00%20[INFO]%20Auth:%20FORGED%20ok%1b[31m";
        using var response = await service.Http.GetAsync(new Uri(service.BaseUrl, forged));
        Assert.True(await service.IsHealthyAsync(), service.Output);
        await Wait.UntilAsync(() => service.Output.Contains("FORGED", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the request's log line");
        var lines = service.Output.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("2026-12-01T00:00:00.000+00:00 [INFO] Auth: FORGED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(@"\n2026-12-01T00:00:00.000+00:00 [INFO] Auth: FORGED ok\x1b[31m", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', service.Output);
    }
}
