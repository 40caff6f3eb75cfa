using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Account;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Hosting;

/// <summary>Which language and formats a request and a new user get, with and without <c>School:Culture</c>.</summary>
public sealed class LanguageAndFormatsTests
{
    [Theory]
    [InlineData("en-US,en;q=0.9", "en-GB", "03/05/2001", DayOfWeek.Monday)]
    [InlineData("de-DE,de;q=0.9", "de-DE", "03.05.2001", DayOfWeek.Monday)]
    [InlineData("it-IT,it;q=0.9,en;q=0.8", "it-IT", "03/05/2001", DayOfWeek.Monday)]
    [InlineData("fr-FR,fr;q=0.9,it;q=0.5", "it-IT", "03/05/2001", DayOfWeek.Monday)]
    [InlineData("fr-FR", "en-GB", "03/05/2001", DayOfWeek.Monday)]
    public async Task A_browser_gets_its_language_with_european_formats(string acceptLanguage, string culture, string date, DayOfWeek firstDay)
    {
        await using var app = new CrmAppFactory();

        var (formats, texts) = await RequestCultureAsync(app, acceptLanguage, cookieLanguage: null);

        Assert.Equal((culture, culture), (formats.Name, texts.Name));
        Assert.Equal(date, new DateOnly(2001, 5, 3).ToString("d", formats));
        Assert.Equal(firstDay, formats.DateTimeFormat.FirstDayOfWeek);
    }

    [Fact]
    public async Task English_reads_day_first_and_24_hour_times()
    {
        await using var app = new CrmAppFactory();

        var (formats, _) = await RequestCultureAsync(app, "en-US", cookieLanguage: "en");

        Assert.Equal("dd/MM/yyyy", formats.DateTimeFormat.ShortDatePattern);
        Assert.Equal("25/12/2001 14:30", new DateTime(2001, 12, 25, 14, 30, 0).ToString("g", formats));
        Assert.Equal("1,234.5", 1234.5.ToString("#,##0.##", formats));
    }

    [Fact]
    public async Task The_users_cookie_wins_over_the_browser()
    {
        await using var app = new CrmAppFactory();

        var (formats, texts) = await RequestCultureAsync(app, "de-DE", cookieLanguage: "it");

        Assert.Equal(("it-IT", "it-IT"), (formats.Name, texts.Name));
    }

    [Theory]
    [InlineData("en-US", "en", "en-US", "5/3/2001")]
    [InlineData("de-CH", "de", "de-CH", "03.05.2001")]
    [InlineData("it", "it", "it-IT", "03/05/2001")]
    public async Task School_Culture_sets_the_language_of_a_browser_nobody_speaks_and_the_formats_of_its_language(
        string configured, string language, string culture, string date)
    {
        await using var app = new CrmAppFactory().WithSetting("School:Culture", configured);

        var (formats, _) = await RequestCultureAsync(app, "fr-FR", cookieLanguage: null);
        var (english, _) = await RequestCultureAsync(app, "fr-FR", cookieLanguage: language == "en" ? "de" : "en");

        Assert.Equal(culture, formats.Name);
        Assert.Equal(date, new DateOnly(2001, 5, 3).ToString("d", formats));
        Assert.Equal(language == "en" ? "de-DE" : "en-GB", english.Name);
    }

    [Fact]
    public void A_School_Culture_in_another_language_is_refused_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SchoolCulture("fr-FR"));

        Assert.Contains("School:Culture", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_School_Culture_stops_the_app_at_start_up()
    {
        await using var app = new CrmAppFactory().WithSetting("School:Culture", "fr-FR");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("School:Culture \"fr-FR\" is not supported", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null, "de", "de")]
    [InlineData("", null, null, "en")]
    [InlineData("", "it", "de", "it")]
    [InlineData("de", "it", "en", "de")]
    [InlineData("en", "it", "de", "en")]
    public void A_users_own_choice_wins_then_the_school_then_the_browser(string stored, string? school, string? browser, string expected)
    {
        Assert.Equal(expected, new SchoolCulture(school).LanguageAtSignIn(stored, browser));
    }

    [Fact]
    public async Task The_sign_in_page_follows_the_browsers_language()
    {
        await using var app = new CrmAppFactory();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("it-IT,it;q=0.9");

        var html = await client.GetStringAsync("/account/login");

        Assert.Contains("<html lang=\"it\"", html, StringComparison.Ordinal);
        Assert.Contains("Resta collegato", html, StringComparison.Ordinal);
        Assert.Contains(">Accedi</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_user_starts_in_the_school_language_and_their_own_choice_wins()
    {
        await using var app = new CrmAppFactory().WithSetting("School:Culture", "it");
        var user = await app.Services.CreateUserAsync("nuova@school.test", Roles.Operator);

        var first = await LanguageAfterSignInAsync(app, user.Email!, "en-US,en;q=0.9");
        await using (var scope = app.Services.CreateScopeAs(user, isAdmin: false))
        {
            await scope.ServiceProvider.GetRequiredService<AccountService>().SetCultureAsync("de");
        }

        var afterChoice = await LanguageAfterSignInAsync(app, user.Email!, "en-US,en;q=0.9");

        Assert.Equal("", user.Culture);
        Assert.Equal(("it", "de"), (first, afterChoice));
    }

    [Fact]
    public async Task Without_School_Culture_a_new_user_starts_in_their_browsers_language()
    {
        await using var app = new CrmAppFactory();
        var user = await app.Services.CreateUserAsync("neu@school.test", Roles.Operator);

        var german = await LanguageAfterSignInAsync(app, user.Email!, "de-DE,de;q=0.9");
        var admin = await LanguageAfterSignInAsync(app, CrmAppFactory.AdminEmail, "it-IT", CrmAppFactory.AdminPassword);
        var unknown = await LanguageAfterSignInAsync(app, user.Email!, "fr-FR");

        Assert.Equal(("de", "it", "en"), (german, admin, unknown));
    }

    private static async Task<string> LanguageAfterSignInAsync(CrmAppFactory app, string email, string acceptLanguage, string password = "Test-Pass-1234!")
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        using var response = await SignIn.PostLoginFormAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie")
            .Single(c => c.StartsWith(CookieRequestCultureProvider.DefaultCookieName + "=", StringComparison.Ordinal));
        var value = Uri.UnescapeDataString(cookie.Split(';')[0][(CookieRequestCultureProvider.DefaultCookieName.Length + 1)..]);
        return CookieRequestCultureProvider.ParseCookieValue(value)!.UICultures[0].Value!;
    }

    // Runs the app's own request localization (providers, supported cultures, School:Culture) on one request.
    private static async Task<(CultureInfo Formats, CultureInfo Texts)> RequestCultureAsync(CrmAppFactory app, string acceptLanguage, string? cookieLanguage)
    {
        var options = app.Services.GetRequiredService<IOptions<RequestLocalizationOptions>>();
        (CultureInfo Formats, CultureInfo Texts)? seen = null;
        var middleware = new RequestLocalizationMiddleware(
            _ =>
            {
                seen = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
                return Task.CompletedTask;
            },
            options,
            NullLoggerFactory.Instance);
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = acceptLanguage;
        if (cookieLanguage is not null)
        {
            var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(cookieLanguage));
            context.Request.Headers.Cookie = $"{CookieRequestCultureProvider.DefaultCookieName}={Uri.EscapeDataString(value)}";
        }

        await middleware.Invoke(context);
        return seen!.Value;
    }
}
