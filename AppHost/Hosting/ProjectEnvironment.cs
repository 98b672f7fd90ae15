using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlamaAspire.AppHost.Hosting;

/// <summary>
/// The environment an Aspire 13 AppHost gives a project resource in run mode (aspire.md §1), with concrete values
/// because we have no DCP to fill in placeholders.
/// </summary>
public static partial class ProjectEnvironment
{
    /// <summary>DCP never passes these down from the AppHost's own environment.</summary>
    public static readonly string[] NotInherited = ["ASPNETCORE_URLS", "DOTNET_LAUNCH_PROFILE", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    public static Dictionary<string, string> Build(ProjectResource resource, DistributedApplicationOptions options)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
        };
        if (options.IsDevelopment)
        {
            env["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true";
            env["OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION"] = "true";
        }

        if (ResolveOtlp(options) is var (otlpEndpoint, otlpProtocol))
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = otlpProtocol;
        }
        env["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={resource.InstanceId}";
        env["OTEL_SERVICE_NAME"] = resource.Name;
        if (options.IsDevelopment)
        {
            env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            env["OTEL_TRACES_SAMPLER"] = "always_on";
            env["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based";
        }

        env["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true";
        env["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";
        env["ASPNETCORE_ENVIRONMENT"] = options.EnvironmentName;

        if (DefinesKestrelEndpoints(resource.Project))
        {
            foreach (var endpoint in resource.Endpoints)
                env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = endpoint.BindUrl;
        }
        else if (resource.Endpoints.Count > 0)
        {
            env["ASPNETCORE_URLS"] = string.Join(';', resource.Endpoints.Select(e => e.BindUrl));
        }
        foreach (var endpoint in resource.Endpoints.Where(e => e.PortEnvironmentVariable is not null))
            env[endpoint.PortEnvironmentVariable!] = endpoint.AllocatedPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var reference in resource.References)
        {
            foreach (var endpoint in reference.Endpoints)
            {
                env[$"services__{reference.Name}__{endpoint.Name}__0"] = endpoint.Url;
                env[$"{EncodeName(reference.Name.ToUpperInvariant())}_{EncodeName(endpoint.Name).ToUpperInvariant()}"] = endpoint.Url;
            }
        }

        foreach (var callback in resource.EnvironmentCallbacks) callback(env);
        return env;
    }

    /// <summary>Ours, then Aspire's own AppHost variables: gRPC wins over HTTP, as in Aspire's OtlpEndpointResolver.</summary>
    public static (string Endpoint, string Protocol)? ResolveOtlp(DistributedApplicationOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)) return (options.OtlpEndpoint, options.OtlpProtocol);
        if (Environment.GetEnvironmentVariable("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL") is { Length: > 0 } grpc) return (grpc, "grpc");
        if (Environment.GetEnvironmentVariable("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL") is { Length: > 0 } http) return (http, "http/protobuf");
        return null;
    }

    /// <summary>Aspire's EnvironmentVariableNameEncoder: valid names stay, others get '_' for each odd character.</summary>
    public static string EncodeName(string name)
    {
        if (ValidName().IsMatch(name)) return name;
        var encoded = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return char.IsAsciiDigit(encoded[0]) ? "_" + encoded : encoded;
    }

    /// <summary>Aspire sets Kestrel__Endpoints__* instead of ASPNETCORE_URLS when appsettings.json declares Kestrel endpoints.</summary>
    private static bool DefinesKestrelEndpoints(IProjectMetadata project)
    {
        var appSettings = Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "appsettings.json");
        if (!File.Exists(appSettings)) return false;
        using var document = JsonDocument.Parse(File.ReadAllBytes(appSettings),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.TryGetProperty("Kestrel", out var kestrel)
            && kestrel.ValueKind == JsonValueKind.Object
            && kestrel.TryGetProperty("Endpoints", out var endpoints)
            && endpoints.ValueKind == JsonValueKind.Object;
    }

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex ValidName();
}
