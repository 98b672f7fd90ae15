namespace LlamaAspire.Gateway.Listeners;

/// <summary>Restricts an endpoint to requests that arrived on one named listener.</summary>
public sealed record ListenerMetadata(string Listener);

public static class ListenerEndpointConventionExtensions
{
    public static TBuilder RequireListener<TBuilder>(this TBuilder builder, string listener) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ListenerMetadata(listener));
}
