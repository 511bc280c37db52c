using FakeEtcd.Hosting;

return await StandaloneCommand.RunAsync(args).ConfigureAwait(false);
