namespace LlamaAspire.ServiceDefaults.Tests.Support;

/// <summary>Thread-safe count of calls an upstream route received, with the time of each.</summary>
internal sealed class CallCounter
{
    private readonly Lock _gate = new();
    private readonly List<DateTimeOffset> _calls = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>Records a call and returns its 1-based number.</summary>
    public int Record()
    {
        lock (_gate)
        {
            _calls.Add(DateTimeOffset.UtcNow);
            return _calls.Count;
        }
    }

    public TimeSpan GapBetween(int first, int second)
    {
        lock (_gate)
        {
            return _calls[second - 1] - _calls[first - 1];
        }
    }
}
