using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace SchoolCrm.Web.Hosting;

/// <summary>
/// The normal self-hosted set-up: nginx or Caddy terminates TLS and forwards to the app on 127.0.0.1. Only
/// the proxies listed in <c>ReverseProxy:KnownProxies</c> (addresses or networks such as <c>10.0.0.0/8</c>;
/// loopback when empty) may tell the app the client's address and scheme; from anyone else the X-Forwarded-*
/// headers are ignored, so nobody can fake their address to the sign-in rate limit or pretend to be on HTTPS.
/// </summary>
public static class ReverseProxy
{
    public const string KnownProxiesKey = "ReverseProxy:KnownProxies";

    private static readonly string[] Loopback = ["127.0.0.1", "::1"];

    public static IServiceCollection AddCrmReverseProxy(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetSection(KnownProxiesKey).Get<string[]>()?.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray() ?? [];
        var networks = (configured.Length > 0 ? configured : Loopback).Select(ParseNetwork).ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Host is not taken from the proxy: the app builds no absolute links from it.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    internal static System.Net.IPNetwork ParseNetwork(string entry)
    {
        var text = entry.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return System.Net.IPNetwork.TryParse(text, out var network)
                ? network
                : throw new InvalidOperationException($"{KnownProxiesKey}: \"{entry}\" is not a network such as 10.0.0.0/8.");
        }

        return IPAddress.TryParse(text, out var address)
            ? new System.Net.IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            : throw new InvalidOperationException($"{KnownProxiesKey}: \"{entry}\" is not an IP address.");
    }
}
