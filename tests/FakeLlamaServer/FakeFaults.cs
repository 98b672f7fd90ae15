using System.Globalization;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>The faults and pacing to show, from FAKE_LLAMA_* environment variables, so a launcher needs no change.</summary>
public sealed record FakeFaults
{
    /// <summary>How long "loading the model" takes; /health answers 503 meanwhile.</summary>
    public int LoadDelayMs { get; init; }

    /// <summary>Exit with this code part way through loading, as llama-server does on a bad model.</summary>
    public int? CrashDuringLoadExitCode { get; init; }

    /// <summary>SIGKILL itself after sending this many tokens of a response, mid-stream.</summary>
    public int? CrashAfterTokens { get; init; }

    /// <summary>SIGTERM, SIGINT, the router's exit command and stdin EOF are all ignored: only SIGKILL ends it.</summary>
    public bool IgnoreSigterm { get; init; }

    public int TokenDelayMs { get; init; }

    /// <summary>Tokens per response unless the request's max_tokens/n_predict is lower.</summary>
    public int Tokens { get; init; } = 4;

    /// <summary>Print the port before loading, as older builds did ("HTTP server is listening, hostname: H, port: P").</summary>
    public bool ListenEarly { get; init; }

    /// <summary>Set by llama.cpp's router for its children: state lines on stdout, exit on stdin EOF or the exit command.</summary>
    public bool RouterChild { get; init; }

    public static FakeFaults FromEnvironment(Func<string, string?> env) => new()
    {
        LoadDelayMs = Int(env, "FAKE_LLAMA_LOAD_DELAY_MS") ?? 0,
        CrashDuringLoadExitCode = Int(env, "FAKE_LLAMA_CRASH_DURING_LOAD"),
        CrashAfterTokens = Int(env, "FAKE_LLAMA_CRASH_AFTER_TOKENS"),
        IgnoreSigterm = Flag(env, "FAKE_LLAMA_IGNORE_SIGTERM"),
        TokenDelayMs = Int(env, "FAKE_LLAMA_TOKEN_DELAY_MS") ?? 0,
        Tokens = Int(env, "FAKE_LLAMA_TOKENS") ?? 4,
        ListenEarly = Flag(env, "FAKE_LLAMA_LISTEN_EARLY"),
        RouterChild = env("LLAMA_SERVER_ROUTER_PORT") is { Length: > 0 },
    };

    private static int? Int(Func<string, string?> env, string name) =>
        env(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;

    private static bool Flag(Func<string, string?> env, string name) => env(name) is "1" or "true";
}
