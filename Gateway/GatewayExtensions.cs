using LlamaAspire.Gateway.Listeners;
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
        return builder;
    }
}
