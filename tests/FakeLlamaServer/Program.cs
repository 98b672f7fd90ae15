using LlamaAspire.FakeLlamaServer;

// Answered like llama-server does, so the agent's flag probe learns the flags the fake takes and its version.
if (args.Contains("--help"))
{
    Console.WriteLine(FakeOptions.HelpText);
    return 0;
}
if (args.Contains("--version"))
{
    Console.Error.WriteLine("version: 0.0.0-fake (build 0, commit fake)");
    return 0;
}

FakeOptions options;
try
{
    options = FakeOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

return await new FakeServer(options, FakeFaults.FromEnvironment(Environment.GetEnvironmentVariable)).RunAsync();
