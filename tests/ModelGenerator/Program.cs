using LlamaAspire.TestSupport.Models;

// Writes the test suite's tiny GGUF models (random weights, ~0.5 MB each) into a folder, to try LlamaAspire
// without downloading a model: dotnet run --project tests/ModelGenerator -- ~/tiny-models
if (args.Length != 1 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: dotnet run --project tests/ModelGenerator -- <folder>");
    return 2;
}

var folder = Directory.CreateDirectory(args[0]).FullName;
Console.WriteLine(TinyModels.WriteChatModel(Path.Combine(folder, "tiny-chat.gguf")));
Console.WriteLine(TinyModels.WriteEmbeddingModel(Path.Combine(folder, "tiny-embed.gguf")));
return 0;
