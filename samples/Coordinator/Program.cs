using Coordinator;
using Microsoft.Extensions.Configuration;

var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build();
return await CoordinatorCommand.RunAsync(args, settings, Console.Out, Console.Error).ConfigureAwait(false);
