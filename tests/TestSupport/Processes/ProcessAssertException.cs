namespace LlamaAspire.TestSupport.Processes;

/// <summary>A test left a process running.</summary>
public sealed class ProcessAssertException : Exception
{
    public ProcessAssertException()
    {
    }

    public ProcessAssertException(string message)
        : base(message)
    {
    }

    public ProcessAssertException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
