using System.Globalization;
using LlmSpell.Server.Config;
using LlmSpell.Service.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace LlmSpell.Server.Logging;

/// <summary>Serilog sink over <see cref="RotatingLogFile"/>: size rotation, gzip, and reopen on SIGUSR1.</summary>
public sealed class RotatingFileSink(RotatingLogFile file) : ILogEventSink, IDisposable
{
    private readonly MessageTemplateTextFormatter _formatter = new(LoggingSetup.OutputTemplate, CultureInfo.InvariantCulture);

    public string Path => file.Path;

    public static RotatingFileSink Create(string path, LoggingSection logging) => new(new RotatingLogFile(logging.RotationFor(path)));

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, writer);
        file.Write(writer.ToString());
    }

    public void Reopen() => file.Reopen();

    public void Dispose() => file.Dispose();
}
