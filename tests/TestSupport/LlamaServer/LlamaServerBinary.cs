namespace LlamaAspire.TestSupport.LlamaServer;

/// <summary>
/// The llama-server binary for this test run, located (or built) once per process on first use,
/// so a fresh machine's `dotnet test` provisions it by itself.
/// </summary>
public static class LlamaServerBinary
{
    private static readonly Lazy<Task<string>> Located = new(
        () => LlamaServerLocator.FindOrBuildAsync(log: line => Console.Error.WriteLine(line)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<string> GetPathAsync() => Located.Value;
}
