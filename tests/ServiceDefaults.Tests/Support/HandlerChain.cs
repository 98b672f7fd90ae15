namespace LlamaAspire.ServiceDefaults.Tests.Support;

internal static class HandlerChain
{
    /// <summary>Every handler from the outermost inwards, the primary handler last.</summary>
    public static List<HttpMessageHandler> Flatten(HttpMessageHandler outermost)
    {
        var chain = new List<HttpMessageHandler>();
        for (HttpMessageHandler? current = outermost; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(current);
        }

        return chain;
    }
}
