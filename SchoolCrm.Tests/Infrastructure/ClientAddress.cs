using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// The in-memory TestServer has no network, so every request would come from the same (no) address. An app made
/// with <see cref="WithClientAddresses"/> takes the connection's remote address from the test-only
/// <see cref="Header"/> before any of its own middleware runs, as if the request came from that machine (a client,
/// or a reverse proxy that adds X-Forwarded-For).
/// </summary>
public static class ClientAddress
{
    public const string Header = "X-Test-Remote-Address";

    /// <summary>A derived app (same settings and data folder) that reads the address header.</summary>
    public static WebApplicationFactory<Program> WithClientAddresses(this CrmAppFactory app) =>
        app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>()));

    /// <summary>A client without automatic redirects whose requests all come from <paramref name="address"/>.</summary>
    public static HttpClient ClientFrom(this WebApplicationFactory<Program> app, string address, bool handleCookies = true)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = handleCookies });
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.Remove(Header, out var value))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(value.ToString());
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// An app of its own whose requests come from the addresses a test chooses (<see cref="ClientAddress"/>);
/// disposing it stops the app and deletes its data folder.
/// </summary>
public sealed class AppWithClientAddresses(CrmAppFactory root) : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> app = root.WithClientAddresses();

    public HttpClient ClientFrom(string address, bool handleCookies = true) => app.ClientFrom(address, handleCookies);

    public ValueTask DisposeAsync() => root.DisposeAsync();
}
