using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Security;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Reliability;

/// <summary>
/// A bounded fuzz run in the suite: thousands of validly signed, mutated messages on shell and control, with the
/// kernel, its heartbeat and a second client's state checked after every batch. The long run is scripts/fuzz-kernel.sh.
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public async Task Three_thousand_signed_mutated_messages_leave_the_kernel_answering_and_a_second_client_intact()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Fail("/usr/bin/python3 is missing: apt-get install python3 python3-jupyter-client python3-zmq");
        await using var service = await SecuredService.StartAsync("[kernel]\nexecution_timeout = 5\n");
        var seed = Environment.GetEnvironmentVariable("LLMSPELL_FUZZ_SEED") ?? DateTime.UtcNow.DayOfYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var script = Path.Combine(AppContext.BaseDirectory, "Reliability", "fuzz_kernel.py");
        var result = await ProcessRunner.RunAsync(python, [script, service.ConnectionFile, "3000", seed, "250"], timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode == 3) Assert.Fail("jupyter_client missing for /usr/bin/python3: apt-get install python3-jupyter-client python3-zmq\n" + result);
        Assert.True(result.ExitCode == 0, $"seed {seed}\n{result}\n--- service ---\n{service.Output}");
        var summary = Check.Json(result.Stdout.Trim().Split('\n')[^1], result);
        Assert.Equal(3000, summary.GetProperty("sent").GetInt32());
        Assert.Equal(12, summary.GetProperty("checks").GetInt32());
        Assert.True(await service.IsHealthyAsync(), service.Output);
        Assert.DoesNotContain("Unhandled exception", service.Output);
        Check.NoStackTrace(service.Output, service.Output);
    }
}
