#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;
using OpenAI;
using OpenAI.Chat;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The OpenAI .NET SDK (NuGet "OpenAI") against each OpenAI-compatible surface of the whole application: the LM Studio
/// port, the OpenAI / router port and Ollama's /v1. Ollama's /v1 is called with the bare name, which Ollama completes
/// to ":latest"; its list shows the full name.
/// </summary>
public sealed class OpenAiSdkConformanceTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private static readonly ChatMessage[] Hi = [new UserChatMessage("hi")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChatCompletionOptions Greedy(int tokens) => new() { MaxOutputTokenCount = tokens, Temperature = 0, Seed = 1 };

    [Theory]
    [InlineData("lmstudio", "tiny-chat")]
    [InlineData("openai", "tiny-chat")]
    [InlineData("ollama", "tiny-chat:latest")]
    public async Task GetModels_AnySurface_ListsTheChatModel(string surface, string listedId)
    {
        var models = await Client(surface).GetOpenAIModelClient().GetModelsAsync(Ct);

        Assert.Contains(models.Value, m => m.Id == listedId);
        Assert.All(models.Value, m => Assert.False(string.IsNullOrEmpty(m.OwnedBy)));
    }

    // LM Studio has no GET /v1/models/{id}; the OpenAI port and Ollama's /v1 do.
    [Theory]
    [InlineData("openai", "tiny-chat")]
    [InlineData("ollama", "tiny-chat:latest")]
    public async Task GetModel_KnownId_AnswersThatModel(string surface, string id)
    {
        var model = await Client(surface).GetOpenAIModelClient().GetModelAsync(id, Ct);

        Assert.Equal(id, model.Value.Id);
        Assert.False(string.IsNullOrEmpty(model.Value.OwnedBy));
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task CompleteChat_NonStream_AnswersAssistantTextAndUsage(string surface)
    {
        ChatCompletion completion = await Client(surface).GetChatClient("tiny-chat").CompleteChatAsync(Hi, Greedy(8), Ct);

        Assert.Equal("tiny-chat", completion.Model);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.NotNull(completion.Content.Single().Text);
        // Random weights may end a reply early at end-of-sequence, so the count is a ceiling, not a promise.
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 8);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task CompleteChatStreaming_IncludeUsage_DeltasMatchTheNonStreamAnswerAndUsageComesLast(string surface)
    {
        var chat = Client(surface).GetChatClient("tiny-chat");
        ChatCompletion reference = await chat.CompleteChatAsync(Hi, Greedy(8), Ct);

        // The SDK asks for stream_options.include_usage on every stream.
        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in chat.CompleteChatStreamingAsync(Hi, Greedy(8), Ct)) updates.Add(update);

        Assert.True(updates.Count > 2, $"{updates.Count} updates");
        Assert.All(updates[..^1], u => Assert.Null(u.Usage));
        Assert.Equal(reference.Usage.OutputTokenCount, updates[^1].Usage.OutputTokenCount);
        Assert.True(updates[^1].Usage.InputTokenCount > 0);
        Assert.Contains(updates, u => u.FinishReason is ChatFinishReason.Stop or ChatFinishReason.Length);
        Assert.Equal(reference.Content.Single().Text, string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)));
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task LegacyCompletion_Prompt_AnswersTextCompletion(string surface)
    {
        // SDK 2.15 keeps its legacy completions client internal, so the request goes through the SDK's own pipeline
        // (its auth, its error classification) as a protocol call.
        var options = Options(surface);
        var pipeline = new OpenAIClient(new ApiKeyCredential("not-needed"), options).Pipeline;
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri($"{options.Endpoint}/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromObjectAsJson(new { model = "tiny-chat", prompt = "Once", max_tokens = 4, temperature = 0 }));
        message.ResponseClassifier = PipelineMessageClassifier.Create([200]);
        message.Apply(new RequestOptions { CancellationToken = Ct });

        await pipeline.SendAsync(message);

        Assert.False(message.Response!.IsError, message.Response.Content.ToString());
        using var body = JsonDocument.Parse(message.Response.Content);
        Assert.Equal("text_completion", body.RootElement.GetProperty("object").GetString());
        Assert.Equal("tiny-chat", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("choices")[0].GetProperty("text").ValueKind);
        Assert.InRange(body.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 1, 4);
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task GenerateEmbeddings_TwoInputs_AnswersTwoVectorsInOrder(string surface)
    {
        var embeddings = (await Client(surface).GetEmbeddingClient("tiny-embed").GenerateEmbeddingsAsync(["a", "b"], cancellationToken: Ct)).Value;

        Assert.Equal([0, 1], embeddings.Select(e => e.Index));
        var dims = embeddings[0].ToFloats().Length;
        Assert.True(dims > 0);
        Assert.All(embeddings, e => Assert.Equal(dims, e.ToFloats().Length));
        Assert.All(embeddings, e => Assert.All(e.ToFloats().ToArray(), x => Assert.True(float.IsFinite(x))));
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task CompleteChatStreaming_CancelledMidStream_EndsPromptlyAndReleasesTheLease(string surface)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var updates = 0;
        var clock = new Stopwatch();

        // Greedy from "hi" runs past 8 tokens (the non-stream test sees it), so the cancel at the third update comes first.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Client(surface).GetChatClient("tiny-chat").CompleteChatStreamingAsync(Hi, Greedy(100_000), cancel.Token))
                if (++updates == 3)
                {
                    Assert.Equal(1, await InFlightAsync());
                    clock.Start();
                    await cancel.CancelAsync();
                }
        });

        output.WriteLine($"the stream ended {clock.ElapsedMilliseconds} ms after the cancel, after {updates} updates");
        Assert.InRange(clock.ElapsedMilliseconds, 0, 2000);
        Assert.True(await WaitAsync(async () => await InFlightAsync() == 0), "the lease was not released");
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task CompleteChat_UnknownModel_ThrowsClientResultExceptionWith4xxAndMessage(string surface)
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(surface).GetChatClient("no-such-model").CompleteChatAsync(Hi, Greedy(1), Ct));

        output.WriteLine(error.Message);
        Assert.InRange(error.Status, 400, 499);
        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
    }

    private OpenAIClient Client(string surface) => new(new ApiKeyCredential("not-needed"), Options(surface));

    private OpenAIClientOptions Options(string surface)
    {
        using var gateway = stack.App.CreateHttpClient("gateway", surface);
        return new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress!, "/v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
    }

    private async Task<int> InFlightAsync()
    {
        using var agent = stack.App.CreateHttpClient("runneragent");
        return (await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray()
            .Where(r => r.GetProperty("model").GetString() == "tiny-chat").Sum(r => r.GetProperty("inFlight").GetInt32());
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) return false;
            await Task.Delay(20, Ct);
        }
        return true;
    }
}
