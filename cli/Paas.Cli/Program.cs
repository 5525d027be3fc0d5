using Paas.Cli;

return await Cli.RunAsync(args, CliEnvironment.FromProcess());
