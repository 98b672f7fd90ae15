using System.Text.Json;
using Polly;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// A model the RunnerAgent works with, read with the fields LM Studio reports beyond the shared <c>RunnerStatus</c>:
/// the slots (<see cref="Parallel"/>) and the llama-server build (<see cref="Runtime"/>, <see cref="RuntimeVersion"/>).
/// </summary>
public sealed record LmStudioRunner(string Model, string State, int ContextLength, int Parallel, string? Runtime, string? RuntimeVersion)
{
    /// <summary>LM Studio knows only loaded and not loaded; queued and loading models are not loaded yet, unloading ones no longer.</summary>
    public bool IsLoaded => State == "ready";
}

/// <summary>The RunnerAgent's GET /runners as the LM Studio surface reads it.</summary>
public sealed partial class LmStudioRunners(HttpClient http, ILogger<LmStudioRunners> logger)
{
    /// <exception cref="HttpRequestException">The agent was unreachable, failed or sent no valid list.</exception>
    public async Task<IReadOnlyList<LmStudioRunner>> ListAsync(CancellationToken ct)
    {
        try
        {
            return await http.GetFromJsonAsync<List<LmStudioRunner>>("/runners", ct) ?? [];
        }
        catch (Exception e) when (e is JsonException or ExecutionRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogUnavailable(logger, e);
            throw new HttpRequestException($"the runner agent did not list its runners: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            LogUnavailable(logger, e);
            throw;
        }
    }

    /// <summary>The model's runner, or null when it has none or the agent does not answer (the caller then reports what it knows).</summary>
    public async Task<LmStudioRunner?> FindAsync(string model, CancellationToken ct)
    {
        try
        {
            return (await ListAsync(ct)).FirstOrDefault(r => string.Equals(r.Model, model, StringComparison.OrdinalIgnoreCase));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    [LoggerMessage(1400, LogLevel.Warning, "The runner agent did not list its runners for the LM Studio API.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
