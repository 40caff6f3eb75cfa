namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// Class fixture for browser tests: one <see cref="CrmAppFactory"/> per test class, hosted on real Kestrel at
/// 127.0.0.1 with a free port, with its own empty database. Started before the first test of the class and
/// disposed (data folder deleted) after the last one.
/// </summary>
/// <remarks>
/// For other settings (feature flags, culture, ...) derive from it and override <see cref="ExtraSettings"/>
/// or <see cref="CreateApp"/>, then derive the test class from <c>BrowserTest&lt;YourFixture&gt;</c>.
/// </remarks>
public class CrmServerFixture : IAsyncLifetime
{
    private CrmAppFactory? hostedApp;

    /// <summary>The hosted app (services, data folder, ...). Available once xunit has initialised the fixture.</summary>
    public CrmAppFactory App => hostedApp ?? throw new InvalidOperationException("The fixture has not been initialised yet.");

    /// <summary>Base address of the app, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string ServerAddress { get; private set; } = "";

    /// <summary>Settings added to (and overriding) <see cref="CrmAppFactory"/>'s defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    /// <summary>Creates the (not yet started) app; the fixture then switches it to Kestrel and starts it.</summary>
    protected virtual CrmAppFactory CreateApp() => new CrmAppFactory().WithSettings(ExtraSettings);

    public virtual async Task InitializeAsync()
    {
        // Launch (or reuse) the shared Chromium while the app starts.
        var browser = SharedBrowser.GetAsync();

        var app = CreateApp();
        hostedApp = app;
        app.UseLoopbackKestrel();
        // Reading ServerAddress starts the app (runs Program.cs, blocking) and returns once Kestrel has bound its port.
        ServerAddress = await Task.Run(() => app.ServerAddress);

        await browser;
    }

    public virtual async Task DisposeAsync()
    {
        if (hostedApp is not null)
        {
            await hostedApp.DisposeAsync();
        }
    }
}
