using System.Globalization;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

/// <summary>[logging] format = "json": what a container log collector reads from stdout.</summary>
public class JsonLogFormatTests
{
    private static readonly HashSet<string> Levels = new(StringComparer.Ordinal) { "Verbose", "Debug", "Information", "Warning", "Error", "Fatal" };

    [Fact]
    public async Task Every_stdout_line_is_one_compact_json_event_with_time_message_level_and_event_id_and_no_secret()
    {
        const string secret = "e2e-Json-Secret-8d7c6b";
        await using var service = await ServiceProcess.StartAsync(["--log-file", "logs/kernel.log", "--log-level", "debug"],
            configToml: $"[logging]\nformat = \"json\"\n\n[security]\nhmac_key = \"{secret}\"\n");
        var port = service.Port.ToString(CultureInfo.InvariantCulture);
        Check.ExitCode(0, await Curl.RunAsync("-f", $"http://127.0.0.1:{port}/health"));
        Check.ExitCode(0, await Curl.RunAsync("-f", "-H", $"Authorization: token {secret}", $"http://127.0.0.1:{port}/api/status"));
        // A working directory with a terminal escape and a newline in it: logged as ignored, it must stay one escaped line.
        Check.ExitCode(0, await Curl.RunAsync("-f", "-o", "/dev/null", "-H", $"Authorization: token {secret}", "-H", "Content-Type: application/json",
            "-d", """{"name": "llmspell", "env": {"KERNEL_WORKING_DIR": "/nowhere\u001b[31mforged\nline"}}""", $"http://127.0.0.1:{port}/api/kernels"));
        Check.ExitCode(0, await Cli.RunAsync("kernel", "reload", "--port", port));

        service.SendSignal(Processes.SIGTERM);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));

        Assert.True(service.Stderr.Length == 0, $"with format = \"json\" the logs go to stdout only, but stderr has output\n{service.Describe()}");
        var events = ParseEvents(service.Stdout, "stdout", service.Describe());
        var file = File.ReadAllText(service.Dir.File("logs/kernel.log"));
        ParseEvents(file, "the log file", file);

        // Our own events carry their stable ids (Kernel 1000-1999, Server 2000-2999) as EventId {Id, Name}.
        foreach (var e in events.Where(e => e.GetProperty("SourceContext").GetString()!.StartsWith("LlmSpell.", StringComparison.Ordinal)))
        {
            Assert.True(e.TryGetProperty("EventId", out var id) && id.TryGetProperty("Id", out var number) && number.GetInt32() > 0,
                $"an llmspell event without an EventId: {e}");
        }
        var ids = events.Where(e => e.TryGetProperty("EventId", out _)).Select(e => e.GetProperty("EventId").GetProperty("Id").GetInt32()).ToHashSet();
        Assert.Contains(1000, ids); // the default kernel is ready
        Assert.Contains(2000, ids); // serving
        var serving = events.First(e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Id").GetInt32() == 2000);
        Assert.Equal("Information", serving.GetProperty("@l").GetString());
        Assert.Equal($"http://127.0.0.1:{port}", serving.GetProperty("Url").GetString());

        // The control characters a client sent were escaped (LogSafe) before JSON quoting, as in text logs.
        var forged = events.FirstOrDefault(e => e.ToString().Contains("forged", StringComparison.Ordinal));
        Assert.True(forged.ValueKind == JsonValueKind.Object, $"the ignored KERNEL_WORKING_DIR was not logged\n{service.Stdout}");
        var values = string.Join(" | ", forged.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()));
        Assert.DoesNotContain('\u001b', values);
        Assert.DoesNotContain('\n', values);
        Check.Contains(@"/nowhere\x1b[31mforged\nline", values, forged.ToString());

        Check.DoesNotContain(secret, service.Stdout + service.Stderr, "the hmac_key appears in the console output");
        Check.DoesNotContain(secret, file, "the hmac_key appears in the log file");
    }

    private static List<JsonElement> ParseEvents(string output, string where, string context)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 3, $"{where} has almost no log lines\n{context}");
        var events = new List<JsonElement>();
        foreach (var line in lines)
        {
            JsonElement e;
            try
            {
                using var doc = JsonDocument.Parse(line);
                e = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                Assert.Fail($"a line of {where} is not JSON ({ex.Message}): {line}\n{context}");
                throw;
            }
            Assert.True(e.ValueKind == JsonValueKind.Object, $"a line of {where} is not a JSON object: {line}");
            Assert.True(e.TryGetProperty("@t", out var t) && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                $"no ISO 8601 @t in {line}");
            Assert.True(e.TryGetProperty("@mt", out var m) || e.TryGetProperty("@m", out m), $"no @mt or @m in {line}");
            Assert.False(string.IsNullOrEmpty(m.GetString()), $"an empty message in {line}");
            Assert.True(e.TryGetProperty("@l", out var l) && Levels.Contains(l.GetString()!), $"no level (@l) in {line}");
            Assert.True(e.TryGetProperty("SourceContext", out _), $"no SourceContext in {line}");
            events.Add(e);
        }
        return events;
    }
}
