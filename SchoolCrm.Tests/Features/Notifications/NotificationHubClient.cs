using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;

namespace SchoolCrm.Tests.Features.Notifications;

/// <summary>A notification hub client of a test server, signed in through the real sign-in form.</summary>
internal static class NotificationHubClient
{
    /// <summary>The auth cookie ("SchoolCrm.Auth=...") that signing in as <paramref name="email"/> sets.</summary>
    public static async Task<string> SignInCookieAsync(CrmAppFactory app, string email, string password)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await SignIn.PostLoginFormAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>
    /// A connection (not started) to the hub as the owner of <paramref name="cookie"/>. Long polling: the test server
    /// has no WebSockets.
    /// </summary>
    public static HubConnection Build(CrmAppFactory app, string cookie) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, NotificationHub.Path), options =>
            {
                options.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.Headers["Cookie"] = cookie;
            })
            .Build();
}
