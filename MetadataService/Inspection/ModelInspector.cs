using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Facts;
using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Inspection;

/// <summary>Reads a catalogued model's header and derives what the API returns. Reads the file on every call for now.</summary>
public sealed class ModelInspector(ILogger<ModelInspector> logger)
{
    private static readonly GgufReadOptions FullOptions = ModelFactsBuilder.ReadOptions with { ReadLargeArrays = true };

    /// <exception cref="GgufFormatException">The file is not a readable GGUF file.</exception>
    public ModelDetails Describe(ModelFile model, bool full)
    {
        ArgumentNullException.ThrowIfNull(model);
        var header = Read(model, full ? FullOptions : ModelFactsBuilder.ReadOptions);
        var facts = ModelFactsBuilder.Build(header, HasVisionProjector(model.Path));
        return new ModelDetails(
            model.Id, model.Path, model.SizeBytes, model.ModifiedAt, model.ShardCount, header.Version, facts, MetadataValues.ToDictionary(header));
    }

    /// <exception cref="GgufFormatException">The file is not a readable GGUF file.</exception>
    public ModelTensors Tensors(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var header = Read(model, GgufReadOptions.Default);
        return new ModelTensors(
            model.Id,
            header.Alignment,
            header.DataOffset,
            [.. header.Tensors.Select(t => new TensorSummary(
                t.Name, t.Dimensions, QuantizationNames.ForGgmlType(t.GgmlType), t.GgmlType, t.Offset, t.ElementCount))]);
    }

    private GgufHeader Read(ModelFile model, GgufReadOptions options)
    {
        try
        {
            return GgufReader.ReadFile(model.Path, options);
        }
        catch (GgufFormatException e)
        {
            Log.UnreadableGguf(logger, model.Path, e.Message);
            throw;
        }
    }

    /// <summary>A projector is recognized by name, as llama.cpp's router does: mmproj*.gguf in the model's folder.</summary>
    private static bool HasVisionProjector(string modelPath)
    {
        var directory = Path.GetDirectoryName(modelPath);
        return directory is not null && Directory.EnumerateFiles(directory, "mmproj*.gguf").Any();
    }
}
