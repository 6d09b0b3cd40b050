using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public class AddressInUseTests
{
    /// <summary>offset 0 = the HTTP port, 1 = the shell channel (kernel.port + 1).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Start_on_a_taken_port_exits_non_zero_quickly_with_address_already_in_use_and_no_stack_trace(int offset)
    {
        using var dir = new TempDir();
        var basePort = Ports.FreeBlock();
        var holder = new TcpListener(IPAddress.Loopback, basePort + offset);
        holder.Start();
        try
        {
            var result = await Cli.RunAsync(
                ["kernel", "start", "--port", basePort.ToString(CultureInfo.InvariantCulture), "--connection-file", dir.File("kernel.json"),
                 "--config", dir.Write("kernel.toml", "")],
                timeout: TimeSpan.FromSeconds(30), workingDirectory: dir.Path);

            Assert.NotEqual(0, result.ExitCode);
            Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"took too long to give up\n{result}");
            Check.Contains("Address already in use", result.Stderr, result);
            Check.Contains((basePort + offset).ToString(CultureInfo.InvariantCulture), result.Stderr, result);
            Check.NoStackTrace(result.Output, result);
            Assert.False(File.Exists(dir.File("kernel.json")), $"connection file left behind\n{result}");
        }
        finally
        {
            holder.Stop();
        }
    }
}
