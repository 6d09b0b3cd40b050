using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public class AddressInUseTests
{
    [Fact]
    public async Task Start_on_a_taken_http_port_exits_non_zero_quickly_with_address_already_in_use_and_no_stack_trace()
    {
        using var dir = new TempDir();
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            var port = ((IPEndPoint)holder.LocalEndpoint).Port;
            var result = await Cli.RunAsync(
                ["kernel", "start", "--port", port.ToString(CultureInfo.InvariantCulture), "--connection-file", dir.File("kernel.json"),
                 "--config", dir.Write("kernel.toml", "")],
                timeout: TimeSpan.FromSeconds(30), workingDirectory: dir.Path);

            Assert.NotEqual(0, result.ExitCode);
            Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"took too long to give up\n{result}");
            Check.Contains("Address already in use", result.Stderr, result);
            Check.Contains(port.ToString(CultureInfo.InvariantCulture), result.Stderr, result);
            Check.NoStackTrace(result.Output, result);
            Assert.False(File.Exists(dir.File("kernel.json")), $"connection file left behind\n{result}");
        }
        finally
        {
            holder.Stop();
        }
    }
}
