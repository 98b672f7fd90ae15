using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Facts;
using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Inspection;

/// <summary>
/// Reads a catalogued model's header and derives what the API returns. The key/values need the header on every call;
/// the facts come from <paramref name="cache"/> when the file is unchanged.
/// </summary>
public sealed class ModelInspector(ILogger<ModelInspector> logger, FactsCache? cache = null)
{
    private static readonly GgufReadOptions FullOptions = ModelFactsBuilder.ReadOptions with { ReadLargeArrays = true };

    /// <exception cref="GgufFormatException">The file is not a readable GGUF file.</exception>
    public ModelDetails Describe(ModelFile model, bool full)
    {
        ArgumentNullException.ThrowIfNull(model);
        var header = Read(model, full ? FullOptions : ModelFactsBuilder.ReadOptions);
        var facts = cache?.GetFacts(model, header) ?? ModelFactsBuilder.Build(header, model.HasVisionProjector);
        return new ModelDetails(
            model.Id, model.Path, model.SizeBytes, model.ModifiedAt, model.ShardCount, cache?.GetDigest(model), header.Version, facts,
            MetadataValues.ToDictionary(header), model.ProjectorPath);
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
}
