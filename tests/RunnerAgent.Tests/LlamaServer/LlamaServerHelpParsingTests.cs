using LlamaAspire.RunnerAgent.LlamaServer;

namespace LlamaAspire.RunnerAgent.Tests.LlamaServer;

/// <summary>Parsing of llama-server's usage text, on lines captured from a real build's --help.</summary>
public sealed class LlamaServerHelpParsingTests
{
    private const string CapturedHelp = """
        ----- common params -----

        -h,    --help, --usage                  print usage and exit
        --version                               show version and build info
        -t,    --threads N                      number of CPU threads to use during generation (default: -1)
                                                (env: LLAMA_ARG_THREADS)
        -c,    --ctx-size N                     size of the prompt context (default: 0, 0 = loaded from model)
        --perf, --no-perf                       whether to enable internal libllama performance timings (default:
                                                false)
        -lm,   --load-mode MODE                 model loading mode (default: auto)
                                                - mlock: force system to keep model in RAM rather than swapping or
        -ngl,  --gpu-layers, --n-gpu-layers N   max. number of layers to store in VRAM, either an exact number,
        -fitt, --fit-target MiB0,MiB1,MiB2,...
                                                target margin per device for --fit, comma-separated list of values,
        --control-vector-layer-range START END
        -m,    --model FNAME                    model path to load
                                                mmproj is also downloaded automatically if available. to disable, add
                                                --no-mmproj-in-description
        ----- speculative params -----

        --spec-draft-hf, -hfd, -hfrd, --hf-repo-draft <user>/<model>[:quant]
        -kvu,  --kv-unified, -no-kvu, --no-kv-unified
                                                use single unified KV buffer shared across all sequences (default:
        -np,   --parallel N                     number of server slots (default: -1, -1 = auto)
        -mm,   --mmproj FILE                    path to a multimodal projector file. see tools/mtmd/README.md
        --mmproj-auto, --no-mmproj, --no-mmproj-auto
        --ui,  --webui, --no-ui, --no-webui     whether to enable the Web UI (default: enabled)
        --embedding, --embeddings               restrict to only support embedding use case; use only with dedicated
        """;

    private static LlamaServerFlagSet Parsed(LlamaServerVersion? version = null) =>
        new("/opt/llama/llama-server", LlamaServerFlags.ParseHelp(CapturedHelp), version);

    [Theory]
    [InlineData("-h")]
    [InlineData("--usage")]
    [InlineData("--version")]
    [InlineData("-c")]
    [InlineData("--ctx-size")]
    [InlineData("--no-perf")]
    [InlineData("--n-gpu-layers")]
    [InlineData("-fitt")]
    [InlineData("--fit-target")]
    [InlineData("--control-vector-layer-range")]
    [InlineData("-hfrd")]
    [InlineData("--hf-repo-draft")]
    [InlineData("-no-kvu")]
    [InlineData("--no-kv-unified")]
    [InlineData("-np")]
    [InlineData("--no-mmproj-auto")]
    [InlineData("--no-webui")]
    [InlineData("--embeddings")]
    public void ParseHelp_FlagLine_FindsEverySpelling(string flag) => Assert.Contains(flag, LlamaServerFlags.ParseHelp(CapturedHelp));

    [Theory]
    [InlineData("--no-mmproj-in-description")]
    [InlineData("-----")]
    [InlineData("N")]
    [InlineData("MiB0")]
    [InlineData("START")]
    [InlineData("-")]
    public void ParseHelp_DescriptionsHeadersAndValueNames_AreNotFlags(string notFlag) =>
        Assert.DoesNotContain(notFlag, LlamaServerFlags.ParseHelp(CapturedHelp));

    [Fact]
    public void ParseHelp_CapturedExcerpt_FindsExactlyItsFlags()
    {
        string[] expected =
        [
            "-h", "--help", "--usage", "--version", "-t", "--threads", "-c", "--ctx-size", "--perf", "--no-perf", "-lm", "--load-mode",
            "-ngl", "--gpu-layers", "--n-gpu-layers", "-fitt", "--fit-target", "--control-vector-layer-range", "-m", "--model",
            "--spec-draft-hf", "-hfd", "-hfrd", "--hf-repo-draft", "-kvu", "--kv-unified", "-no-kvu", "--no-kv-unified", "-np", "--parallel",
            "-mm", "--mmproj", "--mmproj-auto", "--no-mmproj", "--no-mmproj-auto", "--ui", "--webui", "--no-ui", "--no-webui",
            "--embedding", "--embeddings",
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), LlamaServerFlags.ParseHelp(CapturedHelp).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnknownFlags_ValuesAndNegativeNumbers_AreSkipped()
    {
        var unknown = Parsed().UnknownFlags(["-c", "4096", "-ngl", "-1", "--fit-target", "MiB0,MiB1", "-np", "2", "--embeddings"]);

        Assert.Empty(unknown);
    }

    [Fact]
    public void UnknownFlags_RepeatedUnknown_ListedOnceInOrder()
    {
        var unknown = Parsed().UnknownFlags(["--zeta", "1", "-c", "8", "--alpha", "--zeta", "2"]);

        Assert.Equal(["--zeta", "--alpha"], unknown);
    }

    [Fact]
    public void UnknownFlags_EqualsForm_IsUnknownLikeLlamaCppSays() =>
        Assert.Equal(["--ctx-size=4096"], Parsed().UnknownFlags(["--ctx-size=4096"]));

    [Fact]
    public void Problem_AllKnown_IsNull() => Assert.Null(Parsed().Problem(["-c", "2048", "--no-webui"]));

    [Fact]
    public void Problem_RemovedFlagWithReplacement_NamesFlagBinaryAndReplacement()
    {
        var problem = Parsed().Problem(["--mlock"]);

        Assert.Equal("llama-server at /opt/llama/llama-server does not know --mlock (removed in recent llama.cpp; use --load-mode mlock); remove it from the model's args", problem);
    }

    [Fact]
    public void Problem_SeveralUnknown_NamesEachAndVersion()
    {
        var problem = Parsed(new LlamaServerVersion("6123", "abcdef12")).Problem(["--no-mmap", "--definitely-not-a-flag"], "model tiny's args");

        Assert.Equal("llama-server at /opt/llama/llama-server (version 6123 (abcdef12)) does not know --no-mmap (removed in recent llama.cpp; use --load-mode none), --definitely-not-a-flag; remove them from model tiny's args", problem);
    }

    [Fact]
    public void Problem_RemovedFlagWithoutReplacementInBinary_SaysRemovedOnly()
    {
        var flags = new LlamaServerFlagSet("/x", new HashSet<string> { "-c" }, null);

        Assert.Equal("llama-server at /x does not know --mlock (removed in recent llama.cpp); remove it from the model's args", flags.Problem(["--mlock"]));
    }

    [Theory]
    [InlineData("version: 6123 (abcdef12)\nbuilt with cc for x86_64", "6123", "abcdef12", 6123)]
    [InlineData("0.00.000.446 I srv  llama_server: initializing ...\nversion: 0.5.0-dev (build 1, commit de3ff81)\nbuilt with GNU 12.2.0 for Linux x86_64", "0.5.0-dev", "build 1, commit de3ff81", 1)]
    [InlineData("version: b4000", "b4000", null, null)]
    public void VersionParse_VersionLine_GivesVersionDetailAndBuild(string output, string version, string? detail, int? build)
    {
        var parsed = LlamaServerVersion.Parse(output);

        Assert.NotNull(parsed);
        Assert.Equal(version, parsed.Version);
        Assert.Equal(detail, parsed.Detail);
        Assert.Equal(build, parsed.BuildNumber);
    }

    [Fact]
    public void VersionParse_NoVersionLine_IsNull() => Assert.Null(LlamaServerVersion.Parse("error: invalid argument: --version"));
}
