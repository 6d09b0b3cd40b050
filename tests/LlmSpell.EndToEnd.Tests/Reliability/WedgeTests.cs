using System.Diagnostics;
using LlmSpell.EndToEnd.Tests.Security;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Reliability;

/// <summary>
/// The last line of defence against a cell stuck where no interrupt reaches (a finalizer loop, allowed with
/// allow_unsafe_lua): /health says degraded, a restart abandons the stuck state, SIGTERM still exits promptly.
/// </summary>
public sealed class WedgeTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task A_wedged_cell_degrades_health_and_a_restart_gives_a_working_kernel_then_sigterm_exits_0()
    {
        if (!File.Exists(Python)) Assert.Fail("/usr/bin/python3 is missing: apt-get install python3 python3-jupyter-client");
        await using var service = await SecuredService.StartAsync("[security]\nallow_unsafe_lua = true\n");
        var script = Path.Combine(AppContext.BaseDirectory, "Reliability", "wedge_e2e.py");
        var result = await ProcessRunner.RunAsync(Python, [script, service.ConnectionFile, service.BaseUrl.ToString(), service.Token],
            timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode == 3) Assert.Fail("jupyter_client missing for /usr/bin/python3: apt-get install python3-jupyter-client\n" + result);
        Assert.True(result.ExitCode == 0, result + "\n--- service ---\n" + service.Output);

        // The abandoned thread is still spinning in its finalizer: the stop must not wait for it.
        var watch = Stopwatch.StartNew();
        var exit = await service.StopWithSigtermAsync(TimeSpan.FromSeconds(15));
        Assert.True(exit == 0, $"exit {exit}\n{service.Output}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"SIGTERM took {watch.Elapsed.TotalSeconds:F1} s\n{service.Output}");
        Assert.DoesNotContain("ObjectDisposedException", service.Output);
    }
}
