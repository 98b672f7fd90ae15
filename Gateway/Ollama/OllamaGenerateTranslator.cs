using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// POST /api/generate ⇒ llama-server. The chat endpoint by default: the prompt becomes one user message (after the
/// system one, if any), so the model's own chat template is applied as Ollama's Modelfile template would be.
/// raw goes to the native /completion (the prompt verbatim); a suffix goes to /infill (fill-in-the-middle).
/// "template" cannot be honoured (llama-server does not run Go templates) and "context" is deprecated: both are ignored.
/// </summary>
public static class OllamaGenerateTranslator
{
    public static LlamaServerCall ToLlamaServer(OllamaGenerateRequest request, OllamaRuntimeOptions options, string? servedModel = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var prompt = request.Prompt ?? "";
        if (!string.IsNullOrEmpty(request.Suffix)) return Native(LlamaServerCall.InfillPath, request, options, servedModel, body =>
        {
            body["input_prefix"] = prompt;
            body["input_suffix"] = request.Suffix;
            body["prompt"] = "";
        });
        if (request.IsRaw) return Native(LlamaServerCall.CompletionPath, request, options, servedModel, body =>
            body["prompt"] = request.Images is { Count: > 0 } images
                ? new JsonObject { ["prompt_string"] = prompt, ["multimodal_data"] = new JsonArray([.. images.Select(i => JsonValue.Create(i))]) }
                : JsonValue.Create(prompt));

        var body = new JsonObject();
        if (servedModel is not null) body["model"] = servedModel;
        var messages = new JsonArray();
        if (!string.IsNullOrEmpty(request.System)) messages.Add(new JsonObject { ["role"] = "system", ["content"] = request.System });
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = OllamaChatTranslator.ToContent(prompt, request.Images) });
        body["messages"] = messages;
        OllamaChatTranslator.Finish(body, options, request.Format, request.Think);
        return new LlamaServerCall(LlamaServerCall.ChatCompletionsPath, body);
    }

    private static LlamaServerCall Native(
        string path, OllamaGenerateRequest request, OllamaRuntimeOptions options, string? servedModel, Action<JsonObject> addPrompt)
    {
        var body = new JsonObject();
        if (servedModel is not null) body["model"] = servedModel;
        addPrompt(body);
        LlamaServerSampling.Apply(body, options, "n_predict");
        if (OllamaFormat.ToNativeSchema(request.Format) is { } schema) body["json_schema"] = schema;
        body["stream"] = true;
        return new LlamaServerCall(path, body);
    }
}
