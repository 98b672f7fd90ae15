using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Listeners;
using LlamaAspire.Gateway.Ollama;
using LlamaAspire.ServiceDefaults;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Routing.Matching;

namespace LlamaAspire.Gateway;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(ListenerPorts.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<MatcherPolicy, ListenerMatcherPolicy>();
        builder.Services.AddHttpClient<MetadataClient>(client => client.BaseAddress = new Uri("http://metadata"));
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient<OllamaCatalogClient>(client => client.BaseAddress = new Uri("http://metadata"));
        builder.Services.AddOptions<OllamaOptions>().BindConfiguration(OllamaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Lease calls wait in the model's queue, through loads: no timeout, no retries.
        builder.Services.AddInferenceHttpClient<RunnerAgentClient>().ConfigureHttpClient(client => client.BaseAddress = new Uri("http://runneragent"));
        builder.Services.AddInferenceHttpClient(LlamaServerPassthrough.ClientName);
        builder.Services.AddSingleton<LlamaServerPassthrough>();
        builder.Services.AddSingleton<ReadyEndpoints>();
        builder.Services.AddTransient<LeasedSend>();
        builder.Services.AddSingleton<OllamaAliases>();
        builder.Services.AddTransient<OllamaModelLookup>();
        builder.Services.AddTransient<Ollama.OllamaGenerationRelay>();
        builder.Services.AddTransient<Ollama.OllamaEmbeddingRelay>();

        // LM Studio port
        builder.Services.AddHttpClient<LmStudio.LmStudioRunners>(client => client.BaseAddress = new Uri("http://runneragent"));
        builder.Services.AddSingleton<LmStudio.LmStudioV0Relay>();
        builder.Services.AddTransient<LmStudio.LmStudioInference>();

        // OpenAI / llama.cpp-router port: GET relays for llama-server's native /props, /slots, /metrics.
        builder.Services.AddSingleton<OpenAi.RouterGetRelay>();

        // OpenAI Responses and Anthropic Messages, translated onto llama-server's chat completions.
        builder.Services.AddTransient<LlamaChatRelay>();
        builder.Services.AddSingleton<Responses.ResponsesStore>();
        return builder;
    }
}
