namespace LlamaAspire.Gateway.Benchmarks;

internal static class Report
{
    public static void Print(string title, IReadOnlyList<StreamTiming> direct, IReadOnlyList<StreamTiming> gateway, double totalGoal, double ttftGoalMs)
    {
        var totalRatio = Median(gateway.Select(t => t.TotalMs)) / Median(direct.Select(t => t.TotalMs));
        var pairedRatio = Median(direct.Zip(gateway, (d, g) => g.TotalMs / d.TotalMs));
        var addedFirstToken = Median(direct.Zip(gateway, (d, g) => g.FirstTokenMs - d.FirstTokenMs));
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine($"| measure | direct | through the gateway | goal |");
        Console.WriteLine($"|---|---|---|---|");
        Console.WriteLine($"| time to first token, median | {Median(direct.Select(t => t.FirstTokenMs)):0.00} ms | {Median(gateway.Select(t => t.FirstTokenMs)):0.00} ms | |");
        Console.WriteLine($"| total, median | {Median(direct.Select(t => t.TotalMs)):0.0} ms | {Median(gateway.Select(t => t.TotalMs)):0.0} ms | |");
        Console.WriteLine($"| total ratio (medians; median of paired runs) | | {totalRatio:0.000}; {pairedRatio:0.000} | <= {totalGoal:0.00} |");
        Console.WriteLine($"| added time to first token (median of paired runs) | | {addedFirstToken:0.00} ms | <= {ttftGoalMs} ms |");
        Console.WriteLine($"| first to last token, median | {Median(direct.Select(t => t.LastTokenMs - t.FirstTokenMs)):0.0} ms | {Median(gateway.Select(t => t.LastTokenMs - t.FirstTokenMs)):0.0} ms | |");
        Console.WriteLine($"| last token to the end of the response, median | {Median(direct.Select(t => t.TotalMs - t.LastTokenMs)):0.00} ms | {Median(gateway.Select(t => t.TotalMs - t.LastTokenMs)):0.00} ms | |");
        Console.WriteLine($"| events per stream | {direct[0].Events} | {gateway[0].Events} | |");
        if (gateway.All(g => g.LeaseMs is not null))
            Console.WriteLine($"| lease wait inside it (Server-Timing), median | | {Median(gateway.Select(g => g.LeaseMs!.Value)):0.00} ms | |");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
