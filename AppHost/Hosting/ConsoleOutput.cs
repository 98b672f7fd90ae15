namespace LlamaAspire.AppHost.Hosting;

/// <summary>Writes each child's lines to the console with the resource's name as a prefix, one whole line at a time.</summary>
internal sealed class ConsoleOutput(TextWriter? writer)
{
    private static readonly string[] Colors = ["\u001b[36m", "\u001b[35m", "\u001b[33m", "\u001b[32m", "\u001b[34m", "\u001b[91m"];
    private const string Reset = "\u001b[0m";

    private readonly Lock _lock = new();
    private readonly bool _useColor = writer == Console.Out && !Console.IsOutputRedirected;
    private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    public void WriteLine(string resourceName, string line)
    {
        if (writer is null) return;
        lock (_lock)
        {
            if (!_prefixes.TryGetValue(resourceName, out var prefix))
            {
                var color = Colors[_prefixes.Count % Colors.Length];
                _prefixes[resourceName] = prefix = _useColor ? $"{color}[{resourceName}]{Reset} " : $"[{resourceName}] ";
            }
            writer.WriteLine(prefix + line);
        }
    }

    public void WriteSystem(string line)
    {
        if (writer is null) return;
        lock (_lock) writer.WriteLine(line);
    }
}
