namespace LlamaAspire.RunnerAgent.Benchmarks;

internal sealed record Row(string Name, IReadOnlyList<double> Milliseconds, string Goal);

internal static class Report
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
    }

    public static void Print(IReadOnlyList<Row> rows)
    {
        Console.WriteLine($"| {"measure",-48} | {"median ms",10} | {"p90 ms",8} | {"n",5} | goal |");
        Console.WriteLine($"|{new string('-', 50)}|{new string('-', 12)}|{new string('-', 10)}|{new string('-', 7)}|------|");
        foreach (var row in rows)
            Console.WriteLine($"| {row.Name,-48} | {Median(row.Milliseconds),10:0.000} | {Percentile(row.Milliseconds, 0.9),8:0.000} | {row.Milliseconds.Count,5} | {row.Goal} |");
    }
}
