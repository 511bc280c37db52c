using FakeEtcd.Cli;

return await StandaloneCommand.RunAsync(args).ConfigureAwait(false);
