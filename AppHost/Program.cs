using LlamaAspire.AppHost;
using LlamaAspire.AppHost.Configuration;
using LlamaAspire.AppHost.Hosting;

AppHostSettings settings;
try
{
    var commandLine = CommandLine.Parse(args);
    if (commandLine.ShowHelp)
    {
        Console.WriteLine(CommandLine.HelpText());
        return 0;
    }
    settings = SettingsLoader.Load(commandLine);
}
catch (SettingsException e)
{
    Console.Error.WriteLine($"llama-aspire: {e.Message}");
    return 2;
}

var builder = new DistributedApplicationBuilder(new DistributedApplicationOptions
{
    EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production",
    OtlpEndpoint = settings.OtlpEndpoint,
    OtlpProtocol = settings.OtlpProtocol,
});
builder.AddLlamaAspire(settings);

await using var app = builder.Build();
return await app.RunAsync();
