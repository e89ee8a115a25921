namespace CallApi.Emulator;

/// <summary>Entry point: dotnet run --project src/CallApi.Emulator [-- --call-from alice --call-to +15550001000].</summary>
public static class EmulatorProgram
{
    public static Task Main(string[] args) => EmulatorApp.Build(args).RunAsync();
}
