using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Lifetime;

internal static class StdinCloseWatchExtensions
{
    /// <summary>
    /// Registers <see cref="StdinCloseWatcher"/> only when <c>LlamaAspire:ExitOnStdinClose</c> is true;
    /// otherwise stdin is never touched (systemd, a real Aspire AppHost, a terminal).
    /// </summary>
    public static void AddStdinCloseWatch(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(LlamaAspireConfigKeys.ExitOnStdinClose))
        {
            return;
        }

        builder.Services.AddHostedService(static services => new StdinCloseWatcher(
            Console.OpenStandardInput,
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ILogger<StdinCloseWatcher>>()));
    }
}
