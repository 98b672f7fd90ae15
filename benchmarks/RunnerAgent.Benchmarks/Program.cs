using LlamaAspire.RunnerAgent.Benchmarks;

// Macro benchmarks of the RunnerAgent with real llama-server processes on generated tiny models. Process start-up
// and loopback HTTP are what is measured, so this is a plain timed harness rather than BenchmarkDotNet.
var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 15;
await using var bench = await SchedulerBench.StartAsync();
Console.WriteLine($"llama-server: {bench.Binary}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {iterations} cold starts and swaps, 2000 leases");
Console.WriteLine();

var readiness = await bench.MeasureColdStartsAsync(iterations);
var swaps = await bench.MeasureSwapsAsync(iterations);
var leases = await bench.MeasureLeasesAsync(2000);

Report.Print(
[
    new("readiness: llama-server ready -> runner Ready", readiness.ReadyToRunnerReady, "<= 20 ms"),
    new("llama-server's own start (spawn -> ready line)", readiness.OwnStart, "(reference)"),
    new("swap A->B: request -> B ready", swaps.Total, "(reference)"),
    new("swap A->B: B's own start inside it", swaps.OwnStart, "(reference)"),
    new("swap A->B: total minus B's own start", swaps.Overhead, "<= 50 ms"),
    new("lease acquire+release, in process", leases.InProcess, "<= 0.3 ms"),
    new("lease acquire over HTTP (before the request)", leases.HttpAcquire, "<= 0.3 ms"),
    new("lease release over HTTP (after the response)", leases.HttpRelease, "(off the request's path)"),
    new("reference: empty JSON POST over loopback HTTP", leases.HttpPing, "(reference)"),
]);
