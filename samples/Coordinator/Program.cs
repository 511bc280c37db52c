using Coordinator;

return await CoordinatorCommand.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error).ConfigureAwait(false);
