using LlamaAspire.Dashboard.Upstream;

namespace LlamaAspire.Dashboard;

public static class DashboardExtensions
{
    public static IHostApplicationBuilder AddDashboardServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpClient<MetadataClient>(client => client.BaseAddress = new Uri("http://metadata"));
        builder.Services.AddHttpClient<RunnerAgentClient>(client => client.BaseAddress = new Uri("http://runneragent"));
        return builder;
    }
}
