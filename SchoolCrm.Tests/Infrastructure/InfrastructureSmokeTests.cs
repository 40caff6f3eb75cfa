using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>The in-memory host: real Program.cs, test settings, its own data folder.</summary>
public sealed class InfrastructureSmokeTests : IClassFixture<CrmAppFactory>
{
    private readonly CrmAppFactory sharedApp;

    public InfrastructureSmokeTests(CrmAppFactory app) => sharedApp = app;

    [Fact]
    public async Task Sign_in_page_is_served_over_http()
    {
        using var client = sharedApp.CreateClient();

        using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>SchoolCrm</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blazor_script_is_served()
    {
        // Without static web assets outside Development this 404s and no circuit ever starts.
        using var client = sharedApp.CreateClient();
        var html = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var script = Regex.Match(html, "src=\"(?<src>_framework/blazor\\.web[^\"]*\\.js)\"").Groups["src"].Value;
        Assert.NotEmpty(script);

        using var response = await client.GetAsync(new Uri("/" + script, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void App_runs_in_Testing_with_its_own_database_and_data_folder()
    {
        var environment = sharedApp.Services.GetRequiredService<IWebHostEnvironment>();
        var configuration = sharedApp.Services.GetRequiredService<IConfiguration>();

        Assert.Equal(CrmAppFactory.TestingEnvironment, environment.EnvironmentName);
        Assert.False(environment.IsDevelopment());
        Assert.Equal(sharedApp.ConnectionString, configuration.GetConnectionString("Crm"));
        Assert.StartsWith($"Data Source={Path.GetTempPath()}", sharedApp.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(sharedApp.DataFolder, configuration["School:DataFolder"]);
        Assert.True(Directory.Exists(sharedApp.DataFolder));
        Assert.Equal(CrmAppFactory.AdminEmail, configuration["Bootstrap:AdminEmail"]);
        Assert.Equal(CrmAppFactory.AdminPassword, configuration["Bootstrap:AdminPassword"]);
        // Defaults still come from the top-level appsettings.json.
        Assert.False(string.IsNullOrEmpty(configuration["School:TimeZone"]));
    }
}

/// <summary>Settings and clean-up of <see cref="CrmAppFactory"/> instances that are created per test.</summary>
public sealed class CrmAppFactoryTests
{
    [Fact]
    public async Task Extra_settings_reach_the_app_and_the_data_folder_is_deleted_on_dispose()
    {
        var app = new CrmAppFactory()
            .WithSettings([new("School:TimeZone", "Europe/Berlin")])
            .WithSetting("Features:Probe", "on");
        string folder = app.DataFolder;
        await using (app)
        {
            var configuration = app.Services.GetRequiredService<IConfiguration>();
            Assert.Equal("Europe/Berlin", configuration["School:TimeZone"]);
            Assert.Equal("on", configuration["Features:Probe"]);
            Assert.Throws<InvalidOperationException>(() => app.WithSetting("Too:Late", "x"));
        }

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Each_factory_gets_its_own_folder()
    {
        await using var first = new CrmAppFactory();
        await using var second = new CrmAppFactory();

        Assert.NotEqual(first.DataFolder, second.DataFolder);
        Assert.NotEqual(first.ConnectionString, second.ConnectionString);
    }

    [Fact]
    public async Task Kestrel_host_listens_on_loopback_with_a_free_port()
    {
        await using var app = new CrmAppFactory().UseLoopbackKestrel();

        var address = new Uri(app.ServerAddress);
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        Assert.Equal(address, client.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CrmAppFactory.TestingEnvironment, app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
    }
}

/// <summary>Chromium against the app on Kestrel, up to a live Blazor circuit.</summary>
public sealed class BrowserSmokeTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
{
    [Fact]
    public async Task After_sign_in_the_app_becomes_interactive_in_Chromium()
    {
        var page = await NewPageAsync();

        await SignIn.AsAsync(page, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        Assert.StartsWith(ServerAddress, page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#user-menu")).ToBeVisibleAsync();
        // Chromium asks for /favicon.ico, which the app does not have (yet); nothing else may fail.
        Assert.DoesNotContain(BrowserErrors, error => !error.Contains("/favicon.ico", StringComparison.Ordinal));
    }
}

/// <summary>A fixture with its own settings, as a test class needing e.g. another culture would declare it.</summary>
public sealed class BerlinServerFixture : CrmServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("School:TimeZone", "Europe/Berlin")];
}

/// <summary>
/// A second browser test class (its own app, in parallel with <see cref="BrowserSmokeTests"/>): isolation between
/// pages, browser locale and a derived server fixture.
/// </summary>
public sealed class BrowserIsolationSmokeTests(BerlinServerFixture server, ITestOutputHelper output)
    : BrowserTest<BerlinServerFixture>(server, output)
{
    [Fact]
    public async Task Each_page_gets_fresh_cookies_and_the_requested_locale()
    {
        var first = await NewPageAsync();
        await first.GotoAsync("/account/login");
        await first.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "probe", Value = "1", Url = ServerAddress }]);
        var second = await NewPageAsync(locale: "de-DE");

        Assert.Single(await first.Context.CookiesAsync(), c => c.Name == "probe");
        Assert.DoesNotContain(await second.Context.CookiesAsync(), c => c.Name == "probe");
        Assert.Equal("de-DE", await second.EvaluateAsync<string>("navigator.language"));
    }

    [Fact]
    public void Derived_fixture_settings_reach_the_app()
    {
        var configuration = App.Services.GetRequiredService<IConfiguration>();

        Assert.Equal("Europe/Berlin", configuration["School:TimeZone"]);
        Assert.StartsWith("http://127.0.0.1:", ServerAddress, StringComparison.Ordinal);
    }
}
