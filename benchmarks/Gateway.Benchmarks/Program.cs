using LlamaAspire.Gateway.Benchmarks;

// Streams the same generation from llama-server directly and through the Gateway, alternating, in one run, in both
// regimes: llama-server on one thread (GPU-like: a core stays free) and on its default threads (CPU-contended).
var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 30;
var warmUp = TimeSpan.FromSeconds(args.Length > 1 && int.TryParse(args[1], out var w) ? w : 30);
const int Tokens = 400;
await using var stack = await Stack.StartAsync();
// Follow the services' threads from the start, so that threads which end before a regime is measured are counted.
List<Func<ProcessUsage>> services = [.. Stack.OtherServices.Append("gateway").Select(s => (Func<ProcessUsage>)(() => stack.Usage(s)))];
if (stack.Variant is not null) services.Add(() => stack.GatewayUsage(variant: true));
foreach (var usage in services) usage();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {iterations} alternating runs of {Tokens} tokens on a tiny model");

// The services keep compiling their hot paths in the background (tiered JIT, with a profiling tier in between) for
// minutes after start: paths called once every few seconds (the background catalog reads) take longest. Measuring
// then counts the compiler's CPU, in three processes, against the gateway, so the warm-up goes on until no service's
// JIT thread has run for QuietFor (at least warmUp, at most MaxWarmUp).
var warming = System.Diagnostics.Stopwatch.StartNew();
var (jitSeen, jitChangedAt) = (TimeSpan.Zero, TimeSpan.Zero);
while (warming.Elapsed < warmUp || (warming.Elapsed - jitChangedAt < QuietFor && warming.Elapsed < MaxWarmUp))
{
    await RoundAsync(Stack.GpuLikeModel, 16);
    if (stack.Variant is { } warmed)
    {
        await StreamTiming.MeasureAsync(warmed.OpenAi, Stack.GpuLikeModel, "/v1/chat/completions", 16);
        await StreamTiming.MeasureOllamaAsync(warmed.Ollama, Stack.GpuLikeModel, 16);
    }
    var jit = services.Aggregate(TimeSpan.Zero, (sum, usage) => sum + usage().JitCpu);
    if (jit != jitSeen) (jitSeen, jitChangedAt) = (jit, warming.Elapsed);
}
Console.WriteLine($"warm-up: {warming.Elapsed.TotalSeconds:0} s; the services' JIT threads used {jitSeen.TotalSeconds:0.00} s of CPU, " +
    (warming.Elapsed - jitChangedAt >= QuietFor ? $"none in the last {QuietFor.TotalSeconds:0} s" : $"still running at the {MaxWarmUp.TotalSeconds:0} s limit"));

if (stack.Variant is { } variant)
{
    await CompareVariantAsync(variant.OpenAi, variant.Ollama);
    return;
}

foreach (var (model, regime) in new[] { (Stack.GpuLikeModel, "GPU-like (llama-server -t 1)"), (Stack.ContendedModel, "CPU-contended (llama-server on all cores)") })
{
    var rounds = new List<Round>();
    var usage = stack.GatewayUsage();
    var others = Stack.OtherServices.Select(stack.Usage).ToList();
    for (var i = 0; i < iterations; i++) rounds.Add(await RoundAsync(model, Tokens));
    Console.WriteLine($"{regime}: the Gateway per round (one stream through each port): {stack.GatewayUsage().PerRound(usage, iterations)}");
    foreach (var (service, before) in Stack.OtherServices.Zip(others))
        Console.WriteLine($"{regime}: {service} per round: {stack.Usage(service).PerRound(before, iterations)}");
    Report.Print($"{regime}: OpenAI port (8080) vs llama-server directly", [.. rounds.Select(r => r.Direct)], [.. rounds.Select(r => r.OpenAi)], totalGoal: 1.05, ttftGoalMs: 1);
    Report.Print($"{regime}: LM Studio port (1234) /v1 vs llama-server directly", [.. rounds.Select(r => r.Direct)], [.. rounds.Select(r => r.LmStudio)], totalGoal: 1.05, ttftGoalMs: 1);
    Report.Print($"{regime}: Ollama port (11434) /api/chat vs llama-server directly", [.. rounds.Select(r => r.DirectToEos)], [.. rounds.Select(r => r.Ollama)], totalGoal: 1.10, ttftGoalMs: 2);
}
var leases = await stack.MeasureLeasesAsync(200);
Console.WriteLine($"| a lease acquired and released by this process directly at the RunnerAgent, median | | {leases:0.00} ms | |");

async Task<Round> RoundAsync(string model, int tokens) => new(
    await StreamTiming.MeasureAsync(stack.LlamaServer(model), model, "/v1/chat/completions", tokens),
    await StreamTiming.MeasureAsync(stack.OpenAi, model, "/v1/chat/completions", tokens),
    await StreamTiming.MeasureAsync(stack.LmStudio, model, "/v1/chat/completions", tokens),
    // Ollama has no ignore_eos: that pair runs without it and stops at the same end-of-sequence (same seed).
    await StreamTiming.MeasureAsync(stack.LlamaServer(model), model, "/v1/chat/completions", tokens, ignoreEos: false),
    await StreamTiming.MeasureOllamaAsync(stack.Ollama, model, tokens));

// Gateway A (as configured) against gateway B (BENCH_B_* settings), each paired with the same direct run; A and B take
// turns going first, because the first request after an idle spell pays for waking the machine.
async Task CompareVariantAsync(HttpClient openAiB, HttpClient ollamaB)
{
    foreach (var (model, regime) in new[] { (Stack.GpuLikeModel, "GPU-like"), (Stack.ContendedModel, "CPU-contended") })
    {
        List<StreamTiming> direct = [], directEos = [], viaA = [], viaB = [], ollamaViaA = [], ollamaViaB = [];
        var (usageA, usageB) = (stack.GatewayUsage(), stack.GatewayUsage(variant: true));
        for (var i = 0; i < iterations; i++)
        {
            var bFirst = i % 2 == 1;
            direct.Add(await StreamTiming.MeasureAsync(stack.LlamaServer(model), model, "/v1/chat/completions", Tokens));
            foreach (var (client, into) in Turns((stack.OpenAi, viaA), (openAiB, viaB), bFirst))
                into.Add(await StreamTiming.MeasureAsync(client, model, "/v1/chat/completions", Tokens));
            directEos.Add(await StreamTiming.MeasureAsync(stack.LlamaServer(model), model, "/v1/chat/completions", Tokens, ignoreEos: false));
            foreach (var (client, into) in Turns((stack.Ollama, ollamaViaA), (ollamaB, ollamaViaB), bFirst))
                into.Add(await StreamTiming.MeasureOllamaAsync(client, model, Tokens));
        }
        Console.WriteLine($"{regime}: per round (one OpenAI and one Ollama stream), gateway A {stack.GatewayUsage().PerRound(usageA, iterations)}; B {stack.GatewayUsage(variant: true).PerRound(usageB, iterations)}");
        Report.Print($"{regime}: OpenAI port, gateway A vs direct", direct, viaA, 1.05, 1);
        Report.Print($"{regime}: OpenAI port, gateway B vs direct", direct, viaB, 1.05, 1);
        Report.Print($"{regime}: OpenAI port, gateway B vs gateway A", viaA, viaB, 1.00, 0);
        Report.Print($"{regime}: Ollama port, gateway A vs direct", directEos, ollamaViaA, 1.10, 2);
        Report.Print($"{regime}: Ollama port, gateway B vs direct", directEos, ollamaViaB, 1.10, 2);
        Report.Print($"{regime}: Ollama port, gateway B vs gateway A", ollamaViaA, ollamaViaB, 1.00, 0);
    }

    static (HttpClient, List<StreamTiming>)[] Turns((HttpClient, List<StreamTiming>) a, (HttpClient, List<StreamTiming>) b, bool bFirst) =>
        bFirst ? [b, a] : [a, b];
}

internal sealed partial class Program
{
    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromMinutes(5);
}

internal sealed record Round(StreamTiming Direct, StreamTiming OpenAi, StreamTiming LmStudio, StreamTiming DirectToEos, StreamTiming Ollama);
