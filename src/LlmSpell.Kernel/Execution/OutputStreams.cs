using System.Text;
using System.Text.Json.Nodes;
using LlmSpell.Kernel.Protocol;

namespace LlmSpell.Kernel.Execution;

/// <summary>
/// Coalesces stdout/stderr writes for a few milliseconds and publishes them as iopub stream messages,
/// so output of a long-running cell shows up while it runs. Thread-safe.
/// </summary>
internal sealed class OutputStreams : IDisposable
{
    private const int MaxBuffered = 64 * 1024;
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(20);
    private readonly Messenger _messenger;
    private readonly StringBuilder _buffer = new();
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private string _name = "stdout";
    private byte[]? _parent;
    private bool _timerArmed;

    public OutputStreams(Messenger messenger)
    {
        _messenger = messenger;
        _timer = new Timer(_ => Flush(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Sets the parent header for subsequent output (flushes output of the previous parent first).</summary>
    public void SetParent(byte[]? parentHeader)
    {
        lock (_lock)
        {
            FlushLocked();
            _parent = parentHeader;
        }
    }

    public void Write(string name, string text)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (_lock)
        {
            if (_name != name) FlushLocked();
            _name = name;
            _buffer.Append(text);
            if (_buffer.Length >= MaxBuffered) FlushLocked();
            else if (!_timerArmed)
            {
                _timerArmed = true;
                _timer.Change(Delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Flush()
    {
        lock (_lock) FlushLocked();
    }

    private void FlushLocked()
    {
        _timerArmed = false;
        if (_buffer.Length == 0) return;
        var text = _buffer.ToString();
        _buffer.Clear();
        _messenger.Publish(_parent, "stream", new JsonObject { ["name"] = _name, ["text"] = text });
    }

    public void Dispose() => _timer.Dispose();
}
