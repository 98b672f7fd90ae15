using LlamaAspire.AppHost.Hosting;
using LlamaAspire.AppHost.Hosting.Testing;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The whole application (real llama-servers) over models kept as LM Studio keeps them, models/&lt;publisher&gt;/&lt;repo&gt;/&lt;file&gt;:
/// the chat model twice under one file name, so MetadataService gives both a folder in their ids ("…/tiny-chat"), and an
/// embedding model.
/// </summary>
public sealed class LmStudioStackFixture : IAsyncLifetime
{
    public const long MaxRequestBodyBytes = 256 * 1024;
    public const string Chat = "Tiny-Chat-GGUF/tiny-chat";
    public const string MirroredChat = "mirror/tiny-chat";
    public const string Embed = "tiny-embed";
    private static readonly string[] Services = ["metadata", "runneragent", "gateway", "dashboard"];
    private readonly TempDirectory _home = new("lmstudio-stack");
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        var models = Directory.CreateDirectory(Path.Combine(_home.Path, "models")).FullName;
        TinyModels.WriteChatModel(Path.Combine(models, "lmstudio-community", "Tiny-Chat-GGUF", "tiny-chat.gguf"));
        TinyModels.WriteChatModel(Path.Combine(models, "mirror", "tiny-chat.gguf"));
        TinyModels.WriteEmbeddingModel(Path.Combine(models, "embed", "tiny-embed.gguf"));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(
            ["--home", _home.Path, "--models-dir", models, "--llama-server", await LlamaServerBinary.GetPathAsync(), "--discover-stores", "false", "--max-runners", "2"]);
        builder.Builder.Resources.Single(r => r.Name == "gateway").EnvironmentCallbacks.Add(env =>
            env["Gateway__MaxRequestBodyBytes"] = MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _app = await builder.BuildAsync();
        await _app.StartAsync();
        foreach (var service in Services) await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await ProcessAssert.NoneRunningAsync(_home.Path, TimeSpan.FromSeconds(10));
        _home.Dispose();
    }
}
