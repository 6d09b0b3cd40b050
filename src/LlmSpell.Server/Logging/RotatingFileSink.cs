using System.Globalization;
using LlmSpell.Server.Config;
using LlmSpell.Service.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace LlmSpell.Server.Logging;

/// <summary>Serilog sink over <see cref="RotatingLogFile"/>: size rotation, gzip, and reopen on SIGUSR1.</summary>
public sealed class RotatingFileSink(RotatingLogFile file, ITextFormatter formatter) : ILogEventSink, IDisposable
{
    public string Path => file.Path;

    /// <summary>The file in [logging] format: text lines, or one JSON object per line.</summary>
    public static RotatingFileSink Create(string path, LoggingSection logging) =>
        new(new RotatingLogFile(logging.RotationFor(path)), LoggingSetup.FormatterFor(logging));

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        formatter.Format(logEvent, writer);
        file.Write(writer.ToString());
    }

    public void Reopen() => file.Reopen();

    public void Dispose() => file.Dispose();
}
