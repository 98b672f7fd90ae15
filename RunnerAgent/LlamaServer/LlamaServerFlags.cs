using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>
/// Runs `llama-server --help` and `--version` once per binary and caches what they say. llama-server exits at once on a
/// flag it does not know, so configured args are checked against this before a start rather than failing it.
/// </summary>
public static partial class LlamaServerFlags
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Keyed by full path and modification time, so a rebuilt binary is probed again.</summary>
    private static readonly ConcurrentDictionary<(string Path, DateTime Modified), Lazy<Task<LlamaServerFlagSet>>> Cache = new();

    public static Task<LlamaServerFlagSet> ProbeAsync(string binary, ILogger? logger = null)
    {
        var path = Path.GetFullPath(binary);
        var key = (path, File.GetLastWriteTimeUtc(path));
        return Cache.GetOrAdd(key, k => new Lazy<Task<LlamaServerFlagSet>>(() => ProbeOrForgetAsync(k, logger))).Value;
    }

    /// <summary>
    /// Throws <see cref="LlamaServerFlagsException"/> naming each flag in <paramref name="arguments"/> that the binary
    /// does not know. When the binary can't be probed at all, it is let through: llama-server's own error will say more.
    /// </summary>
    public static async Task ValidateAsync(string binary, IReadOnlyList<string> arguments, string source, ILogger logger)
    {
        if (arguments.Count == 0) return;
        LlamaServerFlagSet flags;
        try
        {
            flags = await ProbeAsync(binary, logger);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception or IOException)
        {
            LlamaServerFlagsLog.ProbeFailed(logger, binary, e.Message);
            return;
        }
        if (flags.Problem(arguments, source) is { } problem)
            throw new LlamaServerFlagsException(problem, flags.Binary, flags.UnknownFlags(arguments));
    }

    /// <summary>
    /// Every flag named in llama.cpp's usage text: lines that start with '-' list a flag's spellings before the description
    /// column, e.g. "-c,    --ctx-size N" or "-kvu,  --kv-unified, -no-kvu, --no-kv-unified". Indented lines are descriptions.
    /// </summary>
    public static IReadOnlySet<string> ParseHelp(string helpText)
    {
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rawLine in helpText.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length < 2 || line[0] != '-' || line.StartsWith("---", StringComparison.Ordinal)) continue;
            var gap = DescriptionGap().Match(line);
            var names = gap.Success ? line[..gap.Index] : line;
            foreach (var spelling in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var flag = spelling.Split(' ', 2)[0];
                if (flag.Length > 1 && flag[0] == '-') flags.Add(flag);
            }
        }
        return flags;
    }

    /// <summary>A failed probe (binary missing, broken, hung) is not kept: the next start tries again.</summary>
    private static async Task<LlamaServerFlagSet> ProbeOrForgetAsync((string Path, DateTime Modified) key, ILogger? logger)
    {
        try
        {
            return await RunProbeAsync(key.Path, logger);
        }
        catch
        {
            Cache.TryRemove(key, out _);
            throw;
        }
    }

    private static async Task<LlamaServerFlagSet> RunProbeAsync(string binary, ILogger? logger)
    {
        var help = await RunAsync(binary, "--help");
        var flags = ParseHelp(help);
        if (flags.Count == 0) throw new InvalidOperationException($"llama-server at {binary} printed no flags for --help:\n{Tail(help)}");
        var version = LlamaServerVersion.Parse(await RunAsync(binary, "--version"));
        if (logger is not null) LlamaServerFlagsLog.Probed(logger, binary, version?.ToString() ?? "unknown", flags.Count);
        return new LlamaServerFlagSet(binary, flags, version);
    }

    /// <summary>Both streams: --help prints on stdout, --version on stderr.</summary>
    private static async Task<string> RunAsync(string binary, string argument)
    {
        var startInfo = new ProcessStartInfo(binary)
        {
            ArgumentList = { argument },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {binary}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"llama-server at {binary} did not answer {argument} within {ProbeTimeout.TotalSeconds:0} s.");
        }
        return new StringBuilder(await stdout).Append('\n').Append(await stderr).ToString();
    }

    /// <summary>Spaces before the description column; the padding after "-c," inside the names does not count.</summary>
    [GeneratedRegex(@"(?<=[^,\s])\s{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionGap();

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(10));
}
