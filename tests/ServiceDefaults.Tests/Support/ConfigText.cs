using Microsoft.Extensions.Configuration;

namespace LlamaAspire.ServiceDefaults.Tests.Support;

/// <summary>Builds configuration from compact table text: <c>"Services:a:http=http://h:1; Services:a:https=..."</c>.</summary>
internal static class ConfigText
{
    public static IConfigurationRoot Parse(string text) =>
        new ConfigurationBuilder().AddInMemoryCollection(ToPairs(text)).Build();

    public static Dictionary<string, string?> ToPairs(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => (string?)parts[1]);
}
