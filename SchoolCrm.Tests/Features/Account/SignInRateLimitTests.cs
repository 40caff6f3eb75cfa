using System.Globalization;
using System.Net;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Account;

namespace SchoolCrm.Tests.Features.Account;

/// <summary>Each test gets its own app with a limit of three attempts per address.</summary>
public sealed class SignInRateLimitTests : IAsyncDisposable
{
    private const int Attempts = 3;

    private readonly AppWithClientAddresses app = new(new CrmAppFactory().WithSetting("SignInRateLimit:Attempts", Attempts.ToString(CultureInfo.InvariantCulture)));

    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task One_address_gets_429_with_retry_after_once_its_attempts_are_spent_and_another_still_signs_in()
    {
        using var guesser = app.ClientFrom("203.0.113.20");
        for (var i = 0; i < Attempts; i++)
        {
            using var wrong = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, "not-the-password-" + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var refused = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var seconds = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 300);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Too many sign-in attempts", page, StringComparison.Ordinal);
        Assert.Contains($"Please wait {seconds} seconds", page, StringComparison.Ordinal);
        Assert.DoesNotContain(refused.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("SchoolCrm.Auth=", StringComparison.Ordinal)));

        // Loading the form is no attempt, and the admin signs in from anywhere else.
        using var form = await guesser.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        using var admin = app.ClientFrom("198.51.100.21");
        using var signedIn = await SignIn.PostLoginFormAsync(admin, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task The_too_many_attempts_page_speaks_the_users_language()
    {
        using var guesser = app.ClientFrom("203.0.113.40");
        guesser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-DE");
        for (var i = 0; i < Attempts; i++)
        {
            using var wrong = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, "falsch-" + i);
        }

        using var refused = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, "falsch");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Zu viele Anmeldeversuche", page, StringComparison.Ordinal);
        Assert.Contains("lang=\"de\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_limit_counts_each_forwarded_client_address()
    {
        // The reverse proxy on this machine (loopback, the default known proxy) forwards two different clients.
        using var guesser = app.ClientFrom("127.0.0.1");
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.30");
        using var colleague = app.ClientFrom("127.0.0.1");
        colleague.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.31");
        for (var i = 0; i < Attempts; i++)
        {
            using var wrong = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, "not-the-password-" + i);
        }

        using var refused = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        using var signedIn = await SignIn.PostLoginFormAsync(colleague, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task A_client_that_is_no_known_proxy_cannot_dodge_the_limit_with_forwarded_addresses()
    {
        using var guesser = app.ClientFrom("203.0.113.50");
        for (var i = 0; i < Attempts; i++)
        {
            guesser.DefaultRequestHeaders.Remove("X-Forwarded-For");
            guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2." + i);
            using var wrong = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, "not-the-password-" + i);
        }

        guesser.DefaultRequestHeaders.Remove("X-Forwarded-For");
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.99");
        using var refused = await SignIn.PostLoginFormAsync(guesser, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::2")]
    [InlineData("::ffff:203.0.113.5", "203.0.113.5")]
    public void Addresses_of_one_line_count_together(string one, string other)
    {
        Assert.Equal(SignInRateLimit.ClientKey(IPAddress.Parse(one)), SignInRateLimit.ClientKey(IPAddress.Parse(other)));
    }

    [Fact]
    public void Different_ipv6_lines_count_apart()
    {
        Assert.NotEqual(SignInRateLimit.ClientKey(IPAddress.Parse("2001:db8:1:2::1")), SignInRateLimit.ClientKey(IPAddress.Parse("2001:db8:1:3::1")));
    }
}
