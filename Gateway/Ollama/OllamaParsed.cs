namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// A parsed Ollama request: the request with its typed options and keep_alive, or the message of Ollama's
/// 400 answer (<see cref="Error"/> set, <see cref="Request"/> null).
/// </summary>
public sealed record OllamaParsed<T>(T? Request, OllamaRuntimeOptions Options, TimeSpan? KeepAlive, string? Error)
    where T : class
{
    public bool IsValid => Error is null;
}
