using System.Net;
using System.Net.Sockets;

namespace AppServer.Tests.Infrastructure;

public static class LoopbackPorts
{
    /// <summary>A 127.0.0.1 port free right now (the system's pick); whoever binds it next may race, which is rare enough.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
