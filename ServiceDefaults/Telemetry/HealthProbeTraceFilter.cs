using System.Diagnostics;
using LlamaAspire.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlamaAspire.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps health probes out of the trace export. Export processors skip activities whose Recorded flag
/// is clear, so the flag is cleared as the very first middleware (a startup filter runs before the
/// app's own pipeline, whatever the app's middleware order is).
/// </summary>
internal sealed class HealthProbeTraceFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static (context, nextMiddleware) =>
        {
            if (HealthEndpointPaths.IsProbe(context.Request.Path)
                && context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity)
            {
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
