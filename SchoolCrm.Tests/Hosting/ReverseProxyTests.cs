using System.Net;
using System.Text.RegularExpressions;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Hosting;

/// <summary>
/// The app in Production behind a TLS reverse proxy: the proxy talks plain HTTP to the app and says with
/// X-Forwarded-Proto that the browser used HTTPS. Cookies are handled by hand here: the browser would get them
/// over HTTPS, while the test talks HTTP to the in-memory server.
/// </summary>
public sealed partial class ReverseProxyTests : IAsyncDisposable
{
    private const string KnownProxy = "127.0.0.1";
    private const string Stranger = "198.51.100.7";

    private readonly AppWithClientAddresses app = new(new CrmAppFactory { Environment = "Production" });

    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Behind_a_known_proxy_on_https_the_cookies_are_secure_and_hsts_is_sent()
    {
        using var client = BrowserOnHttpsVia(KnownProxy);

        using var form = await client.GetAsync("/account/login");
        var antiforgery = Cookie(form, ".AspNetCore.Antiforgery.");
        using var signIn = await PostLoginAsync(client, form, antiforgery);

        Assert.Contains("max-age=", form.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.Matches(SecureFlag(), antiforgery);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Matches(SecureFlag(), Cookie(signIn, "SchoolCrm.Auth="));
        Assert.Matches(SecureFlag(), Cookie(signIn, ".AspNetCore.Culture="));
    }

    [Fact]
    public async Task From_an_address_that_is_no_known_proxy_the_forwarded_scheme_is_ignored()
    {
        using var client = BrowserOnHttpsVia(Stranger);

        using var form = await client.GetAsync("/account/login");
        var antiforgery = Cookie(form, ".AspNetCore.Antiforgery.");
        using var signIn = await PostLoginAsync(client, form, antiforgery);

        Assert.False(form.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotMatch(SecureFlag(), antiforgery);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotMatch(SecureFlag(), Cookie(signIn, "SchoolCrm.Auth="));
        Assert.DoesNotMatch(SecureFlag(), Cookie(signIn, ".AspNetCore.Culture="));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.20.30.40", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.5", "192.168.1.5", true)]
    [InlineData("::1", "::1", true)]
    public void Known_proxies_are_addresses_or_networks(string entry, string address, bool known)
    {
        Assert.Equal(known, ReverseProxy.ParseNetwork(entry).Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_mistyped_known_proxy_stops_the_start_with_its_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReverseProxy.ParseNetwork("10.0.0.300"));
        Assert.Contains(ReverseProxy.KnownProxiesKey, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A browser on https://crm.school.test whose requests reach the app from <paramref name="address"/>.</summary>
    private HttpClient BrowserOnHttpsVia(string address)
    {
        // HSTS is never sent for localhost, so the school's own host name.
        var client = app.ClientFrom(address, handleCookies: false);
        client.BaseAddress = new Uri("http://crm.school.test");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        return client;
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, HttpResponseMessage form, string antiforgeryCookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = SignIn.AntiforgeryTokenIn(await form.Content.ReadAsStringAsync()),
                ["Input.Email"] = CrmAppFactory.AdminEmail,
                ["Input.Password"] = CrmAppFactory.AdminPassword,
            }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie.Split(';')[0]);
        return await client.SendAsync(request);
    }

    private static string Cookie(HttpResponseMessage response, string namePrefix) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(namePrefix, StringComparison.Ordinal));

    [GeneratedRegex(@";\s*secure(;|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecureFlag();
}
