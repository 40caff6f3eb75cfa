using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// Hosts the real SchoolCrm app for tests, each instance with its own empty data folder and SQLite file.
/// </summary>
/// <remarks>
/// <para>
/// By default the app runs in-memory on <see cref="Microsoft.AspNetCore.TestHost.TestServer"/>: use
/// <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> for HTTP-level integration tests.
/// Call <see cref="UseLoopbackKestrel"/> before anything starts the app to host it on real Kestrel at
/// 127.0.0.1 with a free port instead (for browser tests); then read <see cref="ServerAddress"/>.
/// </para>
/// <para>
/// Settings handed to the app (they override appsettings.json; add more with <see cref="WithSetting"/> / <see cref="WithSettings"/>):
/// <c>ConnectionStrings:Crm</c> = <see cref="ConnectionString"/> (and <c>Database:Provider</c> on PostgreSQL), <c>School:DataFolder</c> = <see cref="DataFolder"/>,
/// <c>Bootstrap:AdminEmail</c> = <see cref="AdminEmail"/>, <c>Bootstrap:AdminPassword</c> = <see cref="AdminPassword"/>,
/// <c>Urls</c> = <c>http://127.0.0.1:0</c>, <c>Logging:LogLevel:Default</c> = Warning, <c>SignInRateLimit:Attempts</c> = 1000. Everything else comes from the
/// top-level appsettings.json as in production. The values are visible to Program.cs already while it builds its services.
/// The environment is <see cref="TestingEnvironment"/> unless <see cref="Environment"/> is set.
/// </para>
/// <para>Disposing stops the app and deletes <see cref="DataFolder"/>.</para>
/// </remarks>
public class CrmAppFactory : WebApplicationFactory<Program>
{
    /// <summary>E-mail of the administrator the app creates on first start.</summary>
    public const string AdminEmail = "admin@school.test";

    /// <summary>Password of the administrator the app creates on first start.</summary>
    public const string AdminPassword = "Admin-Pass-1234!";

    /// <summary>The default hosting environment of the app under test.</summary>
    public const string TestingEnvironment = "Testing";

    private readonly Dictionary<string, string?> settings;
    private bool configured;

    // A single public constructor, so the factory can be an xunit class fixture as is; add settings with
    // WithSetting / WithSettings (fluent, before the app starts).
    public CrmAppFactory()
    {
        DataFolder = Path.Combine(Path.GetTempPath(), "schoolcrm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        ConnectionString = TestDatabase.IsPostgreSql
            ? TestDatabase.NewPostgreSqlDatabase()
            : $"Data Source={Path.Combine(DataFolder, "crm.db")}";

        settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Crm"] = ConnectionString,
            ["School:DataFolder"] = DataFolder,
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            // Never the real port from appsettings.json; UseLoopbackKestrel binds 127.0.0.1 with a free port anyway.
            ["Urls"] = "http://127.0.0.1:0",
            // Keep test logs readable: only warnings and errors from the app (override like any other setting).
            ["Logging:LogLevel:Default"] = "Warning",
            // A test class signs in many times from one address; the rate limit's own tests set a small limit.
            ["SignInRateLimit:Attempts"] = "1000",
        };
        if (TestDatabase.IsPostgreSql)
        {
            settings["Database:Provider"] = "PostgreSql";
        }
    }

    /// <summary>This instance's own folder (deleted on dispose); the app's <c>School:DataFolder</c>.</summary>
    public string DataFolder { get; }

    /// <summary>
    /// The app's <c>ConnectionStrings:Crm</c>: a SQLite file inside <see cref="DataFolder"/>, or on PostgreSQL
    /// (<see cref="TestDatabase.IsPostgreSql"/>) a database of this instance's own on the test server.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>Hosting environment of the app; <see cref="TestingEnvironment"/> by default. Set before the app starts.</summary>
    public string Environment { get; set; } = TestingEnvironment;

    /// <summary>The configuration handed to the app (defaults plus extra settings).</summary>
    public IReadOnlyDictionary<string, string?> Settings => settings;

    /// <summary>True once <see cref="UseLoopbackKestrel"/> was called.</summary>
    public bool UsesKestrel { get; private set; }

    /// <summary>
    /// Base address of the Kestrel server without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.
    /// Starts the app if needed. Only valid after <see cref="UseLoopbackKestrel"/>.
    /// </summary>
    public string ServerAddress
    {
        get
        {
            if (!UsesKestrel)
            {
                throw new InvalidOperationException(
                    $"{nameof(ServerAddress)} needs a real server: call {nameof(UseLoopbackKestrel)}() before the app starts.");
            }

            StartServer();
            return ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        }
    }

    /// <summary>
    /// Adds or replaces one configuration value (":"-separated key, as in appsettings.json). Call before the app starts.
    /// </summary>
    public CrmAppFactory WithSetting(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfConfigured();
        settings[key] = value;
        return this;
    }

    /// <summary>Adds or replaces several configuration values. Call before the app starts.</summary>
    public CrmAppFactory WithSettings(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in settings)
        {
            WithSetting(key, value);
        }

        return this;
    }

    /// <summary>
    /// Hosts the app on real Kestrel bound to 127.0.0.1 with a free port (chosen by the OS) instead of the in-memory
    /// TestServer. Call before the app starts (before <c>CreateClient</c>, <c>Services</c> or <see cref="ServerAddress"/>).
    /// </summary>
    public CrmAppFactory UseLoopbackKestrel()
    {
        ThrowIfConfigured();
        // .NET 10: UseKestrel(port) makes the factory replace the server addresses with http://127.0.0.1:{port}
        // (PreferHostingUrls) and, once started, copies the bound address into ClientOptions.BaseAddress.
        UseKestrel(0);
        UsesKestrel = true;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        configured = true;

        builder.UseEnvironment(Environment);

        // Run from the test output folder, which holds the top-level appsettings.json (the Web project links it and
        // copies it to every output folder), as the real app runs from its own folder. The factory's default content
        // root would be the SchoolCrm.Web source folder, which has no appsettings.json, so the app's defaults from it
        // would silently be missing in tests.
        builder.UseContentRoot(AppContext.BaseDirectory);

        // UseSetting goes into the host configuration, which the app can already read in Program.cs while it
        // builds its services; the in-memory source below is added last, so it also wins over appsettings.json,
        // user secrets and environment variables once the app is built.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));

        // Static web assets (blazor.web.js, scoped CSS, MudBlazor's files) are served from their build-time
        // locations only in Development unless asked for explicitly.
        builder.UseStaticWebAssets();
    }

    /// <summary>Stops the app and deletes <see cref="DataFolder"/>. <c>Dispose()</c> ends up here too.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (TestDatabase.IsPostgreSql)
        {
            await TestDatabase.DropPostgreSqlDatabaseAsync(ConnectionString);
        }

        DeleteDataFolder();
        GC.SuppressFinalize(this);
    }

    private void ThrowIfConfigured()
    {
        if (configured)
        {
            throw new InvalidOperationException("The app has already started; configure the factory before using it.");
        }
    }

    private void DeleteDataFolder()
    {
        // Pooled SQLite connections keep the database file open.
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(DataFolder))
            {
                Directory.Delete(DataFolder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover folder under the temp path must not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
