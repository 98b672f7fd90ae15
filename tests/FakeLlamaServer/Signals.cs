using System.Runtime.InteropServices;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>SIGTERM and SIGINT end the process, unless FAKE_LLAMA_IGNORE_SIGTERM leaves only SIGKILL to do it.</summary>
public static class Signals
{
    public static IDisposable Register(FakeFaults faults, Action exit)
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

        return new Registrations(
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
    }

    private sealed class Registrations(params PosixSignalRegistration[] all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in all) registration.Dispose();
        }
    }
}
