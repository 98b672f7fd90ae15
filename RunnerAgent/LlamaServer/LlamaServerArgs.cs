using System.Globalization;
using LlamaAspire.RunnerAgent.Processes;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>The llama-server command line for a model. No shell: every value is one argument.</summary>
public static class LlamaServerArgs
{
    public static IReadOnlyList<string> For(RunnerLaunch launch, int port)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var model = launch.Model;
        List<string> args =
        [
            "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "-m", model.Path,
            "--alias", model.Id,
            "-np", launch.Parallel.ToString(CultureInfo.InvariantCulture),
            "--no-webui",
        ];
        if (launch.ContextLength > 0) args.AddRange(["-c", launch.ContextLength.ToString(CultureInfo.InvariantCulture)]);
        if (launch.SharedContext && launch.Parallel > 1) args.Add("--kv-unified");
        if (model.IsEmbedding)
        {
            args.Add("--embeddings");
            // An embedding input is decoded in one micro-batch, so the batch must hold the whole context: inputs up to
            // the context length then fit (the Gateway truncates longer ones, as Ollama does).
            if (launch.ContextLength > 0)
            {
                var context = launch.ContextLength.ToString(CultureInfo.InvariantCulture);
                args.AddRange(["-b", context, "-ub", context]);
            }
        }
        if (model.ProjectorPath is { Length: > 0 } projector) args.AddRange(["--mmproj", projector]);
        if (launch.ExtraArgs is { } extra) args.AddRange(extra);
        return args;
    }
}
