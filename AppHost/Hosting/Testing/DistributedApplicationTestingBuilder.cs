using LlamaAspire.AppHost.Configuration;

namespace LlamaAspire.AppHost.Hosting.Testing;

/// <summary>
/// The shape of Aspire's DistributedApplicationTestingBuilder: the real application model, every port randomized,
/// and output kept in the resource logs instead of the console.
/// </summary>
public sealed class DistributedApplicationTestingBuilder
{
    private DistributedApplicationTestingBuilder(DistributedApplicationBuilder builder, AppHostSettings settings)
    {
        Builder = builder;
        Settings = settings;
    }

    public DistributedApplicationBuilder Builder { get; }

    public AppHostSettings Settings { get; }

    public DistributedApplicationOptions Options => Builder.Options;

    /// <summary>Takes the AppHost's command-line arguments; pass <c>--home</c> so that tests never touch the user's home.</summary>
    public static Task<DistributedApplicationTestingBuilder> CreateAsync(
        string[] args, Action<DistributedApplicationOptions>? configure = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var settings = SettingsLoader.Load(CommandLine.Parse(args));
        var options = new DistributedApplicationOptions
        {
            EnvironmentName = "Development",
            RandomizePorts = true,
            ConsoleOutput = null,
            OtlpEndpoint = settings.OtlpEndpoint,
            OtlpProtocol = settings.OtlpProtocol,
            ShutdownGracePeriod = TimeSpan.FromSeconds(6),
        };
        configure?.Invoke(options);

        var builder = new DistributedApplicationBuilder(options);
        builder.AddLlamaAspire(settings);
        return Task.FromResult(new DistributedApplicationTestingBuilder(builder, settings));
    }

    public Task<DistributedApplication> BuildAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Builder.Build());
    }
}
