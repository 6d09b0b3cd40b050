using LlmSpell.Server.Config;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace LlmSpell.Server.Logging;

public static class LoggingSetup
{
    public const string OutputTemplate = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u4}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Console plus the rotating [logging] log file, both under the live level switch and both in [logging] format:
    /// text lines on stderr, or with format = "json" one JSON object per line on stdout (what container log collectors
    /// read). The file sink is returned too, so SIGUSR1 can reopen it.
    /// </summary>
    /// <summary>The formatter of [logging] format, for the console and the log file alike.</summary>
    public static ITextFormatter FormatterFor(LoggingSection logging) =>
        logging.IsJson ? new JsonLogFormatter() : new MessageTemplateTextFormatter(OutputTemplate, System.Globalization.CultureInfo.InvariantCulture);

    public static (Serilog.ILogger Logger, RotatingFileSink? File) CreateLogger(LlmSpellOptions options, ServiceRuntime runtime, LogLevelController level)
    {
        // A daemon's stderr is its log file (the launcher points it there for early crashes): writing the console
        // too would put every line in the file twice, and keep writing to it after it is rotated or moved.
        var console = runtime.LogFile is null || !LlmSpell.Service.Daemon.DaemonChild.IsDaemonChild;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level.Switch)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // A failed start (port in use, PID file held) is reported once, in words, by `kernel start`; not as a stack trace.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .Enrich.With<ControlCharacterEscaper>();
        if (console && options.Logging.IsJson)
            configuration = configuration.WriteTo.Console(new JsonLogFormatter(), standardErrorFromLevel: null);
        else if (console)
            configuration = configuration.WriteTo.Console(outputTemplate: OutputTemplate, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        var sink = runtime.LogFile is { } file ? RotatingFileSink.Create(file, options.Logging) : null;
        if (sink is not null)
            configuration = configuration.WriteTo.Sink(sink);
        return (configuration.CreateLogger(), sink);
    }
}
