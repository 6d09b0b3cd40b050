using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Security;

/// <summary>
/// Hostile Jupyter clients (pyzmq) and Lua sandbox escapes against the real kernel, next to a legitimate
/// jupyter_client session whose variables must survive.
/// </summary>
public sealed partial class KernelHostileTests
{
    private const string Python = "/usr/bin/python3";

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Security", "hostile_kernel.py");

    private static async Task<JsonElement> RunScenario(SecuredService service, params string[] args)
    {
        if (!File.Exists(Python)) Assert.Fail("/usr/bin/python3 is missing: apt-get install python3 python3-jupyter-client python3-zmq");
        var result = await ProcessRunner.RunAsync(Python, [Script, service.ConnectionFile, .. args], timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode == 3) Assert.Fail("pyzmq/jupyter_client missing for /usr/bin/python3: apt-get install python3-jupyter-client python3-zmq\n" + result);
        Assert.True(result.ExitCode == 0, result + "\n--- service ---\n" + service.Output);
        return Check.Json(result.Stdout.Trim().Split('\n')[^1], result);
    }

    [GeneratedRegex("""^llmspell_messages_rejected_total\{([^}]*)\}\s+(\S+)""", RegexOptions.Multiline)]
    private static partial Regex RejectedLine();

    internal static async Task<Dictionary<string, double>> RejectedByReason(SecuredService service)
    {
        var text = await service.Http.GetStringAsync(new Uri(service.BaseUrl, "/metrics"));
        var counts = new Dictionary<string, double>();
        foreach (Match m in RejectedLine().Matches(text))
        {
            var reason = Regex.Match(m.Groups[1].Value, "reason=\"([^\"]*)\"").Groups[1].Value;
            counts[reason] = counts.GetValueOrDefault(reason) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return counts;
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_replayed_truncated_and_oversized_messages_are_dropped_and_counted()
    {
        await using var service = await SecuredService.StartAsync("[security]\nmax_message_size_mb = 1\n");
        var before = await RejectedByReason(service);
        var outcome = await RunScenario(service, "wire", (2 * 1024 * 1024).ToString(CultureInfo.InvariantCulture));

        Assert.Equal("ok", outcome.GetProperty("before").GetProperty("status").GetString());
        Assert.Equal("42", outcome.GetProperty("after").GetProperty("result").GetString());      // x = 41 survived every hostile message
        Assert.Equal("1", outcome.GetProperty("replayed_runs").GetProperty("result").GetString()); // the replayed request ran once
        var replayed = outcome.GetProperty("replayed_msg_id").GetString();
        var replies = outcome.GetProperty("hostile_replies").EnumerateArray().ToList();
        Assert.All(replies, r => Assert.Equal(replayed, r.GetProperty("parent").GetString()));
        Assert.Single(replies, r => r.GetProperty("msg_type").GetString() == "execute_reply");
        Assert.Equal("ok", outcome.GetProperty("kernel_info").GetString());

        var expected = new Dictionary<string, double> { ["bad_signature"] = 2, ["replay"] = 1, ["too_few_frames"] = 1, ["too_large"] = 1 };
        Dictionary<string, double> after = [];
        await Wait.UntilAsync(async () =>
        {
            after = await RejectedByReason(service);
            return expected.All(e => after.GetValueOrDefault(e.Key) - before.GetValueOrDefault(e.Key) >= e.Value);
        }, TimeSpan.FromSeconds(20), "llmspell_messages_rejected_total to rise by reason: " + string.Join(", ", expected.Select(e => $"{e.Key} +{e.Value}")),
            () => service.Output);
        Assert.True(await service.IsHealthyAsync(), service.Output);
    }

    [Fact]
    public async Task Lua_sandbox_escapes_fail_with_error_replies_and_the_kernel_keeps_the_session()
    {
        await using var service = await SecuredService.StartAsync();
        var outcome = await RunScenario(service, "sandbox");
        var escapes = outcome.GetProperty("escapes");
        var names = new[] { "os_execute", "io_popen", "package_loadlib", "require_debug", "debug_global", "os_exit", "read_etc_passwd", "dofile_etc_passwd", "loadfile_etc_passwd" };
        foreach (var name in names)
        {
            var escape = escapes.GetProperty(name);
            Assert.True(escape.GetProperty("status").GetString() == "error", $"{name} was not refused: {escape}");
            Assert.DoesNotContain("root:", escape.GetRawText());
            Assert.DoesNotContain("uid=", escape.GetRawText());
        }
        Assert.Equal("42", outcome.GetProperty("after").GetProperty("result").GetString());
        Assert.Equal("ok", outcome.GetProperty("kernel_info").GetString());
        Assert.True(await service.IsHealthyAsync(), service.Output);
    }
}
