using LlamaAspire.Gateway.Benchmarks;

// Streams the same generation from llama-server directly and through the Gateway, alternating, in one run, in both
// regimes: llama-server on one thread (GPU-like: a core stays free) and on its default threads (CPU-contended).
var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 30;
var warmUp = TimeSpan.FromSeconds(args.Length > 1 && int.TryParse(args[1], out var w) ? w : 30);
const int Tokens = 400;
await using var stack = await Stack.StartAsync();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {iterations} alternating runs of {Tokens} tokens on a tiny model, after {warmUp.TotalSeconds:0} s of warm-up");

// The services compile their hot paths in the background (tiered JIT) for a while after start; measuring then would
// count the compiler's CPU against the gateway.
var warming = System.Diagnostics.Stopwatch.StartNew();
while (warming.Elapsed < warmUp) await RoundAsync(Stack.GpuLikeModel, 16);

foreach (var (model, regime) in new[] { (Stack.GpuLikeModel, "GPU-like (llama-server -t 1)"), (Stack.ContendedModel, "CPU-contended (llama-server on all cores)") })
{
    var rounds = new List<Round>();
    for (var i = 0; i < iterations; i++) rounds.Add(await RoundAsync(model, Tokens));
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

internal sealed record Round(StreamTiming Direct, StreamTiming OpenAi, StreamTiming LmStudio, StreamTiming DirectToEos, StreamTiming Ollama);
