using System.Globalization;
using System.Text.Json;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>llama.cpp's router-child protocol: state lines on stdout; stdin EOF or the exit command end the process.</summary>
public sealed class RouterChild(FakeFaults faults, Action<int> exit)
{
    private const string StatePrefix = "cmd_child_to_router:state:";
    private const string ExitCommand = "cmd_router_to_child:exit";

    public void Loading(double value) => Emit(Json.Write(w =>
    {
        w.WriteString("state", "loading");
        w.WriteStartObject("payload");
        w.WriteStartArray("stages");
        w.WriteStringValue("text_model");
        w.WriteEndArray();
        w.WriteString("current", "text_model");
        w.WriteNumber("value", value);
        w.WriteEndObject();
    }));

    public void Ready(Action<Utf8JsonWriter> writeModel) => Emit(Json.Write(w =>
    {
        w.WriteString("state", "ready");
        w.WriteStartObject("payload");
        writeModel(w);
        w.WriteEndObject();
    }));

    /// <summary>Like llama-server, which watches stdin only once the model is loaded.</summary>
    public void WatchStdin()
    {
        if (!faults.RouterChild) return;
        Console.Error.WriteLine("srv    operator(): child server monitoring thread started, waiting for EOF on stdin...");
        var thread = new Thread(() =>
        {
            while (Console.In.ReadLine() is { } line)
            {
                if (line.Trim() != ExitCommand) continue;
                if (faults.IgnoreSigterm)
                {
                    Console.Error.WriteLine("fake: ignoring the exit command");
                    continue;
                }
                Console.Error.WriteLine("srv    operator(): exit command received, exiting...");
                exit(0);
                return;
            }
            if (faults.IgnoreSigterm)
            {
                Console.Error.WriteLine("fake: ignoring EOF on stdin");
                return;
            }
            Console.Error.WriteLine("srv    operator(): EOF on stdin detected, exiting...");
            exit(0);
        }) { IsBackground = true, Name = "stdin watcher" };
        thread.Start();
    }

    private void Emit(string json)
    {
        if (!faults.RouterChild) return;
        Console.Out.Write(string.Create(CultureInfo.InvariantCulture, $"\n{StatePrefix}{json}\n"));
        Console.Out.Flush();
    }
}
