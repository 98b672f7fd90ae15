using System.Runtime.InteropServices;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>SIGTERM and SIGINT end the process, unless FAKE_LLAMA_IGNORE_SIGTERM leaves only SIGKILL to do it.</summary>
public static class Signals
{
    /// <summary>
    /// Held for the life of the process, never disposed: a SIGTERM that lands while it is already leaving (say, just
    /// after the router's exit command) must not fall back to the default action and turn exit code 0 into 143.
    /// </summary>
    private static PosixSignalRegistration[] _registrations = [];

    public static void Register(FakeFaults faults, Action exit)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;   // the runtime would otherwise exit on its own
            if (faults.IgnoreSigterm)
            {
                Console.Error.WriteLine($"fake: ignoring {context.Signal}");
                return;
            }
            Console.Error.WriteLine("srv    operator(): received signal, shutting down");
            exit();
        }

        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle)];
    }
}
