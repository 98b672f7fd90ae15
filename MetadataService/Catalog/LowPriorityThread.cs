namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Runs long CPU and disk work on its own background thread at the lowest priority, so it never holds a thread-pool
/// thread the API needs and the scheduler favours request threads (where the OS honours thread priorities).
/// </summary>
public static class LowPriorityThread
{
    public static Task<T> RunAsync<T>(string name, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
#pragma warning disable CA1031 // Every failure is handed to the awaiting caller.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        {
            Name = name,
            IsBackground = true,
            Priority = ThreadPriority.Lowest,
        };
        thread.Start();
        return done.Task;
    }
}
