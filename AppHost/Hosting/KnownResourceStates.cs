namespace LlamaAspire.AppHost.Hosting;

/// <summary>Aspire's resource state names.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = "NotStarted";
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string Stopping = "Stopping";
    public const string Exited = "Exited";
    public const string FailedToStart = "FailedToStart";

    public static bool IsTerminal(string state) => state is Exited or FailedToStart;
}

/// <summary>A resource's state at one moment. Healthy is only meaningful while Running.</summary>
public sealed record ResourceEvent(string ResourceName, string State, bool IsHealthy = false, int? ExitCode = null, string? Reason = null);
