using LlamaAspire.Gateway.Benchmarks;

// Streams the same generation from llama-server directly and through the Gateway, alternating, in one run.
var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 30;
const int Tokens = 400;
await using var stack = await Stack.StartAsync();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {iterations} alternating runs of {Tokens} tokens on a tiny model");

var direct = new List<StreamTiming>();
var openAi = new List<StreamTiming>();
var ollamaDirect = new List<StreamTiming>();
var ollama = new List<StreamTiming>();
for (var i = 0; i < iterations + 3; i++)
{
    var viaDirect = await StreamTiming.MeasureAsync(stack.LlamaServer, "/v1/chat/completions", Tokens);
    var viaGateway = await StreamTiming.MeasureAsync(stack.OpenAi, "/v1/chat/completions", Tokens);
    var viaDirectAgain = await StreamTiming.MeasureAsync(stack.LlamaServer, "/v1/chat/completions", Tokens, ignoreEos: false);
    var viaOllama = await StreamTiming.MeasureOllamaAsync(stack.Ollama, Tokens);
    if (i < 3) continue;   // warm-up
    direct.Add(viaDirect);
    openAi.Add(viaGateway);
    ollamaDirect.Add(viaDirectAgain);
    ollama.Add(viaOllama);
}

Report.Print("OpenAI port (8080) vs llama-server directly", direct, openAi, totalGoal: 1.05, ttftGoalMs: 1);
Report.Print("Ollama port (11434) /api/chat vs llama-server directly", ollamaDirect, ollama, totalGoal: 1.10, ttftGoalMs: 2);
var leases = await stack.MeasureLeasesAsync(200);
Console.WriteLine($"| a lease acquired and released by this process directly at the RunnerAgent, median | | {leases:0.00} ms | |");
