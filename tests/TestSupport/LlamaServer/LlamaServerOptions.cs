namespace LlamaAspire.TestSupport.LlamaServer;

/// <summary>How to start a single-model llama-server for a test.</summary>
public sealed record LlamaServerOptions
{
    public required string ModelPath { get; init; }

    /// <summary>Null means <see cref="LlamaServerBinary"/>.</summary>
    public string? BinaryPath { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Null picks a free ephemeral port (and retries on a bind race).</summary>
    public int? Port { get; init; }

    public int ContextSize { get; init; } = 512;

    public int Parallel { get; init; } = 1;

    /// <summary>
    /// One thread by default: on a small, shared CI box two spinning llama.cpp threads collapse from
    /// thousands to hundreds of tokens/s as soon as anything else runs. Null leaves llama-server's default.
    /// </summary>
    public int? Threads { get; init; } = 1;

    public bool Embeddings { get; init; }

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Variables to set for the child; a null value removes an inherited one.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyList<string> BuildArguments(int port)
    {
        List<string> args =
        [
            "--host", Host, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-m", ModelPath, "-c", ContextSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-np", Parallel.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-webui",
        ];
        if (Threads is { } threads) args.AddRange(["-t", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (Embeddings) args.Add("--embeddings");
        args.AddRange(ExtraArguments);
        return args;
    }
}
