using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LlamaAspire.MetadataService.Benchmarks;

// dotnet run -c Release --project benchmarks/MetadataService.Benchmarks [-- --vocab DIR] [--npm-runs N] [--no-npm] [BenchmarkDotNet args]
var rest = new List<string>();
string? vocabDir = null;
var npmRuns = 10;
var npm = true;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--vocab" when i + 1 < args.Length: vocabDir = args[++i]; break;
        case "--npm-runs" when i + 1 < args.Length: npmRuns = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--no-npm": npm = false; break;
        default: rest.Add(args[i]); break;
    }
}

if (!rest.Contains("--filter")) rest.AddRange(["--filter", "*"]);
var vocab = VocabFile.Resolve(vocabDir);
var job = Job.Default.WithWarmupCount(3).WithIterationCount(15)
    .WithEnvironmentVariables(new EnvironmentVariable(VocabFile.Variable, vocab));
// The default 2-minute limit on building the benchmark's child project is too short while other builds load the machine.
var config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithBuildTimeout(TimeSpan.FromMinutes(10));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(ParseBenchmarks).Assembly).Run([.. rest], config).ToList();

var npmMedian = npm ? NpmBaseline.MedianMs(vocab, npmRuns) : null;
Console.WriteLine();
Console.WriteLine($"Medians on {Environment.ProcessorCount} cores, {Path.GetFileName(vocab)}:");
foreach (var report in summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null))
    Console.WriteLine($"  {report.BenchmarkCase.Descriptor.WorkloadMethod.Name,-14} {Ms(report),10:F3} ms");
if (npmMedian is { } baseline)
{
    Console.WriteLine($"  {"@huggingface/gguf",-14} {baseline,10:F3} ms (gguf(), {npmRuns} runs after a warm-up)");
    var full = summaries.SelectMany(s => s.Reports).FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ParseBenchmarks.FullParse));
    if (full?.ResultStatistics is not null) Console.WriteLine($"  FullParse is {baseline / Ms(full):F1}x faster than @huggingface/gguf");
}

static double Ms(BenchmarkReport report) => report.ResultStatistics!.Median / 1e6;
