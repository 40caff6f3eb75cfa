using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Tests.Hosting;

/// <summary>Each test gets its own app: one of them breaks the database file on purpose.</summary>
public sealed class HostingTests : IAsyncDisposable
{
    private readonly CrmAppFactory app = new();

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private HttpClient Client() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Health_answers_200_when_the_database_answers()
    {
        using var client = Client();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_answers_503_when_the_database_does_not()
    {
        using var client = Client();
        using (await client.GetAsync("/health"))
        {
        }

        if (TestDatabase.IsPostgreSql)
        {
            await TestDatabase.DropPostgreSqlDatabaseAsync(app.ConnectionString);
            using var gone = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
            return;
        }

        // Replace the database file with something that is not a database.
        SqliteConnection.ClearAllPools();
        var file = Path.Combine(app.DataFolder, "crm.db");
        foreach (var sidecar in new[] { file + "-wal", file + "-shm" })
        {
            File.Delete(sidecar);
        }

        await File.WriteAllTextAsync(file, new string('x', 4096));

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    [InlineData("/configuration")]
    public async Task Anonymous_requests_are_redirected_to_sign_in(string path)
    {
        using var client = Client();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_is_open_to_anonymous_users()
    {
        using var client = Client();

        using var response = await client.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"sign-in\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_antiforgery_token_is_rejected()
    {
        using var client = Client();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = CrmAppFactory.AdminEmail,
            ["Input.Password"] = CrmAppFactory.AdminPassword,
        });

        using var response = await client.PostAsync("/account/login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("SchoolCrm.Auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_sign_out_post_without_antiforgery_token_is_rejected()
    {
        using var client = Client();
        using var signIn = await SignIn.PostLoginFormAsync(client, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>());

        using var response = await client.PostAsync("/account/logout", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Responses_carry_the_security_headers()
    {
        using var client = Client();

        using var response = await client.GetAsync("/account/login");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Single(response.Headers.GetValues("Referrer-Policy"));
    }

    [Fact]
    public async Task MudBlazor_assets_are_served_outside_development()
    {
        using var client = Client();

        using var response = await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Data_protection_keys_are_kept_in_the_database_so_a_restart_signs_nobody_out()
    {
        // Another node, or this one after a restart, reads the same keys (Features/Nodes: the cookie is accepted there).
        using var client = Client();
        using var signIn = await SignIn.PostLoginFormAsync(client, CrmAppFactory.AdminEmail, CrmAppFactory.AdminPassword);

        await using var db = app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContext();
        Assert.NotEmpty(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.False(Directory.Exists(Path.Combine(app.DataFolder, "keys")));
    }
}
