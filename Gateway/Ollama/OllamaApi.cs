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
        ollama.MapFallback(NotFound).WithName("Ollama.NotFound");
        return ollama;
    }

    public static IResult GetRoot() => TypedResults.Text(RunningText, "text/plain; charset=utf-8");

    /// <summary>Ollama's router answers unknown paths with this plain-text body.</summary>
    public static IResult NotFound() => TypedResults.Text("404 page not found", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
