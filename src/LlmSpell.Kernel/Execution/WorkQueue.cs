namespace LlmSpell.Kernel.Execution;

/// <summary>Blocking FIFO for the execution thread, with a priority slot at the front (restart) and completion.</summary>
internal sealed class WorkQueue<T> where T : class
{
    private readonly LinkedList<T> _items = new();
    private readonly object _lock = new();
    private bool _completed;

    public bool Enqueue(T item) => Add(item, front: false);

    public bool EnqueueFront(T item) => Add(item, front: true);

    private bool Add(T item, bool front)
    {
        lock (_lock)
        {
            if (_completed) return false;
            if (front) _items.AddFirst(item); else _items.AddLast(item);
            Monitor.Pulse(_lock);
            return true;
        }
    }

    /// <summary>Blocks until an item is available; returns null once completed and empty.</summary>
    public T? Take()
    {
        lock (_lock)
        {
            while (_items.Count == 0)
            {
                if (_completed) return null;
                Monitor.Wait(_lock);
            }
            var first = _items.First!.Value;
            _items.RemoveFirst();
            return first;
        }
    }

    /// <summary>No more items are accepted; remaining ones are returned so the caller can discard them.</summary>
    public List<T> Complete()
    {
        lock (_lock)
        {
            _completed = true;
            var rest = _items.ToList();
            _items.Clear();
            Monitor.PulseAll(_lock);
            return rest;
        }
    }
}
