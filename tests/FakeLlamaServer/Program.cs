using LlamaAspire.FakeLlamaServer;

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
