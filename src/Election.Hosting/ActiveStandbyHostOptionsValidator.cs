using Microsoft.Extensions.Options;

namespace Election.Hosting;

/// <summary>Fails the host's start with every bad setting named by its Milvus key.</summary>
internal sealed class ActiveStandbyHostOptionsValidator : IValidateOptions<ActiveStandbyHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ActiveStandbyHostOptions options)
    {
        var failures = new List<string>(options.Problems);
        if (!MilvusRole.All.ContainsKey(options.Role))
        {
            failures.Add($"unknown role '{options.Role}': expected {MilvusRole.Names}");
        }

        if (options.Endpoints.Count == 0 && options.Etcd is null)
        {
            failures.Add($"{MilvusConfiguration.Endpoints.Display} names no endpoint");
        }

        if (options.SessionTtl < TimeSpan.FromSeconds(1) || options.SessionTtl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"{MilvusConfiguration.SessionTtl.Display} must be a whole number of seconds, at least 1, not {options.SessionTtl.TotalSeconds:0.###}");
        }

        if (options.RegisterRetries < 1)
        {
            failures.Add($"{MilvusConfiguration.RetryTimes.Display} must be at least 1, not {options.RegisterRetries}");
        }

        if (string.IsNullOrWhiteSpace(options.MetaRoot))
        {
            failures.Add($"{MilvusConfiguration.RootPath.Display} and {MilvusConfiguration.MetaSubPath.Display} make an empty meta root");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
