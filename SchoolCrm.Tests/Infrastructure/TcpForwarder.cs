using System.Net;
using System.Net.Sockets;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// The load balancer of the tests of several nodes, as small as it gets: one port on 127.0.0.1 that the browser uses,
/// every TCP connection forwarded byte for byte to one app node (sticky, as the README's nginx is), and
/// <see cref="SwitchTo"/> sends the next connections to another node and cuts the open ones (a proxy whose node went
/// away). No HTTP is parsed, so WebSockets and long polling pass as they are.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> open = [];
    private readonly Task accepting;
    private volatile Uri target;

    public TcpForwarder(string targetAddress)
    {
        target = new Uri(targetAddress);
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>The address the browser opens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>New connections go to <paramref name="targetAddress"/>; the open ones are closed.</summary>
    public void SwitchTo(string targetAddress)
    {
        target = new Uri(targetAddress);
        TcpClient[] cut;
        lock (open)
        {
            cut = [.. open];
            open.Clear();
        }

        foreach (var client in cut)
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        SwitchTo(target.ToString());
        try
        {
            await accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped while waiting for a connection.
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var browser = await listener.AcceptTcpClientAsync(stopping.Token);
            _ = ForwardAsync(browser, target);
        }
    }

    private async Task ForwardAsync(TcpClient browser, Uri to)
    {
        var node = new TcpClient();
        Track(browser);
        Track(node);
        try
        {
            await node.ConnectAsync(to.Host, to.Port, stopping.Token);
            var up = browser.GetStream().CopyToAsync(node.GetStream(), stopping.Token);
            var down = node.GetStream().CopyToAsync(browser.GetStream(), stopping.Token);
            // Either side ending ends the connection, as a proxy does.
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The node is gone (refused or stopped) or the connection was cut: the browser sees it closed.
        }
        finally
        {
            Untrack(browser);
            Untrack(node);
        }
    }

    private void Track(TcpClient client)
    {
        lock (open)
        {
            open.Add(client);
        }
    }

    private void Untrack(TcpClient client)
    {
        lock (open)
        {
            open.Remove(client);
        }

        client.Dispose();
    }
}
