using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace LlamaAspire.ServiceDefaults.Tests.Support;

/// <summary>Sees every ended activity (recorded or not), the way export processors do before they filter.</summary>
internal sealed class RecordingProcessor : BaseProcessor<Activity>
{
    public ConcurrentDictionary<ActivityTraceId, Activity> Ended { get; } = new();

    public override void OnEnd(Activity data) => Ended[data.TraceId] = data;
}

/// <summary>Collects what an export processor actually hands to an exporter.</summary>
internal sealed class CollectingExporter : BaseExporter<Activity>
{
    public ConcurrentBag<Activity> Exported { get; } = [];

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            Exported.Add(activity);
        }

        return ExportResult.Success;
    }
}
