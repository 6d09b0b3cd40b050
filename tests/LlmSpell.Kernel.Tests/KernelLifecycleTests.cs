using System.Text.Json;
using LlmSpell.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests;

public class KernelLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ConnectionFileIsWrittenPrivateAndRemovedOnStop()
    {
        var harness = KernelHarness.Start(output);
        await using (harness)
        {
            var kernel = harness.Kernel;
            Assert.Equal(KernelState.Idle, kernel.State);
            Assert.True(File.Exists(harness.ConnectionFile));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(harness.ConnectionFile));
            Assert.Equal([harness.ConnectionFile], Directory.GetFiles(harness.Dir.Path));

            using var doc = JsonDocument.Parse(File.ReadAllText(harness.ConnectionFile));
            var root = doc.RootElement;
            Assert.Equal("tcp", root.GetProperty("transport").GetString());
            Assert.Equal("127.0.0.1", root.GetProperty("ip").GetString());
            Assert.Equal(harness.Key, root.GetProperty("key").GetString());
            Assert.Equal("hmac-sha256", root.GetProperty("signature_scheme").GetString());
            Assert.Equal("llmspell", root.GetProperty("kernel_name").GetString());
            var ports = new[] { "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port" }
                .Select(p => root.GetProperty(p).GetInt32()).ToArray();
            Assert.All(ports, p => Assert.InRange(p, 1, 65535));
            Assert.Equal(5, ports.Distinct().Count());
            Assert.Equal(kernel.Connection.ShellPort, ports[0]);

            await kernel.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(kernel.Stopped.IsCompleted);
            Assert.Equal(KernelState.Dead, kernel.State);
            Assert.False(File.Exists(harness.ConnectionFile));
        }
    }

    [Fact]
    public async Task ExistingConnectionFileIsUsedAndLeftInPlace()
    {
        using var dir = new TempDir();
        var path = dir.File("jupyter-launched.json");
        ConnectionInfo info = null!;
        JupyterKernel? kernel = null;
        // Find free ports by letting a first kernel choose them, then reuse its file after it stops. Tests run in
        // parallel, so another one may take a freed port in between: then try again with new ports.
        for (var attempt = 1; kernel is null; attempt++)
        {
            var first = KernelHarness.Start(output);
            info = first.Kernel.Connection;
            await first.DisposeAsync();
            File.WriteAllText(path, JsonSerializer.Serialize(info with { Key = "from-file-key" }));
            try
            {
                kernel = JupyterKernel.Start(new KernelStartOptions
                {
                    Id = "existing",
                    ConnectionFilePath = path,
                    UseExistingConnectionFile = true,
                    Key = "ignored",
                }, new TestLoggerFactory(output));
            }
            catch (NetMQ.AddressAlreadyInUseException) when (attempt < 5)
            {
            }
        }
        try
        {
            Assert.Equal(info.ShellPort, kernel.Connection.ShellPort);
            Assert.Equal(info.HbPort, kernel.Connection.HbPort);
            Assert.Equal("from-file-key", kernel.Connection.Key);
        }
        finally
        {
            await kernel.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.True(File.Exists(path), "a connection file we did not write must not be deleted");
    }

    [Fact]
    public async Task StopIsIdempotentAndBounded()
    {
        var harness = KernelHarness.Start(output);
        var a = harness.Kernel.StopAsync(TimeSpan.FromSeconds(2));
        var b = harness.Kernel.StopAsync(TimeSpan.FromSeconds(2));
        await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(10));
        await harness.Kernel.Stopped.WaitAsync(TimeSpan.FromSeconds(1));
        await harness.DisposeAsync();
    }
}
