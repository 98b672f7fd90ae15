namespace LlamaAspire.AppHost.Hosting;

/// <summary>A service project built with the AppHost. The build generates one per service in <c>LlamaAspire.AppHost.Projects</c>.</summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }

    string AssemblyPath { get; }
}
