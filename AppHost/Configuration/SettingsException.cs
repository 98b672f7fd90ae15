namespace LlamaAspire.AppHost.Configuration;

/// <summary>A setting the user got wrong; the message names it and is shown as is.</summary>
public sealed class SettingsException(string message) : Exception(message);
