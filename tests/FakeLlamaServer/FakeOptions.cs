using System.Globalization;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>llama-server's command line, as far as the fake uses it; every other flag is accepted and ignored.</summary>
public sealed record FakeOptions
{
    public string Host { get; private init; } = "127.0.0.1";

    public int Port { get; private init; } = 8080;

    public string? ModelPath { get; private init; }

    public string? Alias { get; private init; }

    public int ContextSize { get; private init; } = 4096;

    public int Parallel { get; private init; } = 1;

    public bool Embeddings { get; private init; }

    /// <summary>Like llama-server: the first alias, else the -m path exactly as passed.</summary>
    public string ModelId => Alias?.Split(',')[0] ?? ModelPath ?? "model";

    public static FakeOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FakeOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"error: expected value for argument: {flag}");
            options = flag switch
            {
                "--host" => options with { Host = Value() },
                "--port" => options with { Port = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "-m" or "--model" => options with { ModelPath = Value() },
                "-a" or "--alias" => options with { Alias = Value() },
                "-c" or "--ctx-size" => options with { ContextSize = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "-np" or "--parallel" => options with { Parallel = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--embedding" or "--embeddings" => options with { Embeddings = true },
                _ => options,
            };
            // An ignored flag's value, if any, is skipped: it does not start with '-' unless it is a negative number.
            if (IsIgnoredFlagWithValue(args, i, flag)) i++;
        }

        return options;
    }

    /// <summary>llama.cpp's usage layout (spellings, then the description column) for the flags the fake reads, plus a few it ignores.</summary>
    public const string HelpText = """
        ----- common params -----

        -t,    --threads N                      number of CPU threads to use during generation
        -c,    --ctx-size N                     size of the prompt context
        -np,   --parallel N                     number of server slots
        -kvu,  --kv-unified, -no-kvu, --no-kv-unified
                                                use a unified KV cache
        -m,    --model FNAME                    model path
        -a,    --alias STRING                   model name aliases
        --host HOST                             ip address to listen
        --port PORT                             port to listen
        --embedding, --embeddings               restrict to only support embedding use case
        --no-webui                              disable the Web UI
        -mm,   --mmproj FILE                    path to a multimodal projector file
        """;

    private static readonly HashSet<string> Known =
        ["--host", "--port", "-m", "--model", "-a", "--alias", "-c", "--ctx-size", "-np", "--parallel", "--embedding", "--embeddings"];

    private static bool IsIgnoredFlagWithValue(IReadOnlyList<string> args, int i, string flag) =>
        !Known.Contains(flag) && flag.StartsWith('-') && i + 1 < args.Count
        && (!args[i + 1].StartsWith('-') || double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
}
