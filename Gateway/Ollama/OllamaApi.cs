using LlamaAspire.Gateway.Listeners;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>The Ollama API on its own port (11434 by default).</summary>
public static class OllamaApi
{
    public const string RunningText = "Ollama is running";

    public static RouteGroupBuilder MapOllamaApi(this IEndpointRouteBuilder app)
    {
        var ollama = app.MapGroup("").RequireListener(ListenerPorts.Ollama);
        ollama.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], GetRoot).WithName("Ollama.Root");
        ollama.MapMethodNotAllowed("/");
        ollama.MapOllamaModelsApi();
        ollama.MapOllamaInferenceApi();
        ollama.MapOllamaOpenAiApi();
        // "{*path}", not MapFallback's default "{*path:nonfile}": paths with a dot (/v1/models/qwen2.5-7b) are unknown routes too.
        ollama.MapFallback("{*path}", NotFound).WithName("Ollama.NotFound");
        return ollama;
    }

    public static IResult GetRoot() => TypedResults.Text(RunningText, "text/plain; charset=utf-8");

    /// <summary>Ollama's router answers unknown paths with this plain-text body.</summary>
    public static IResult NotFound() => TypedResults.Text("404 page not found", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    /// <summary>Ollama's router (gin with HandleMethodNotAllowed) answers a known path with the wrong method so.</summary>
    public static IResult MethodNotAllowed() =>
        TypedResults.Text("405 method not allowed", "text/plain; charset=utf-8", statusCode: StatusCodes.Status405MethodNotAllowed);

    /// <summary>
    /// Catches every other method on <paramref name="pattern"/>: the endpoints that name their methods win
    /// for those methods (routing prefers explicit HTTP method metadata), so this one only sees the rest.
    /// </summary>
    internal static RouteHandlerBuilder MapMethodNotAllowed(this RouteGroupBuilder ollama, string pattern) =>
        ollama.Map(pattern, MethodNotAllowed).WithName($"Ollama.MethodNotAllowed {pattern}");
}
