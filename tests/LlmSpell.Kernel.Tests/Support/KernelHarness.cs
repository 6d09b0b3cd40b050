using LlmSpell.Kernel;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests.Support;

/// <summary>Starts an in-process kernel on OS-assigned ports with a connection file in a fresh temp dir.</summary>
public sealed class KernelHarness : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    private KernelHarness(ITestOutputHelper output, Func<KernelStartOptions, KernelStartOptions>? configure)
    {
        Key = Guid.NewGuid().ToString();
        ConnectionFile = _dir.File("kernel.json");
        var options = new KernelStartOptions
        {
            Id = "test-" + Guid.NewGuid().ToString("N")[..8],
            Key = Key,
            ConnectionFilePath = ConnectionFile,
        };
        if (configure is not null) options = configure(options);
        Logs = new TestLoggerFactory(output, LogLevel.Debug);
        Kernel = JupyterKernel.Start(options, Logs, Observer);
    }

    public static KernelHarness Start(ITestOutputHelper output, Func<KernelStartOptions, KernelStartOptions>? configure = null) =>
        new(output, configure);

    public string Key { get; }
    public string ConnectionFile { get; }
    public RecordingObserver Observer { get; } = new();
    public TestLoggerFactory Logs { get; }
    public JupyterKernel Kernel { get; }
    public TempDir Dir => _dir;

    public async ValueTask DisposeAsync()
    {
        var stop = Kernel.StopAsync(TimeSpan.FromSeconds(5));
        var finished = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(15)));
        _dir.Dispose();
        Assert.True(finished == stop, "kernel did not stop within 15 s");
    }
}
