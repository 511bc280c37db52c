namespace Coordinator;

/// <summary>A flag or environment value the coordinator cannot use; its message is the one-line error printed before exiting with 2.</summary>
internal sealed class SettingsException(string message) : Exception(message);
