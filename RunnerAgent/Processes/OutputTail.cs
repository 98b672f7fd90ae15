namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>The last lines a process printed, bounded, for error messages.</summary>
public sealed class OutputTail(int capacity = 40)
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lock)
        {
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lock) return [.. _lines]; }
    }

    public override string ToString() => string.Join('\n', Lines);
}
