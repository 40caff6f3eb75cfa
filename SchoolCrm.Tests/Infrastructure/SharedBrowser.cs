using Microsoft.Playwright;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// One headless Chromium per test run, shared by all browser tests (thread-safe). Tests never use the browser
/// directly: each one opens its own <see cref="IBrowserContext"/> (fresh cookies and storage) via
/// <see cref="NewContextAsync"/>, usually through <see cref="BrowserTest{TServer}"/>.
/// </summary>
/// <remarks>
/// Uses the system Chromium (Debian package <c>chromium</c>); Playwright never downloads a browser here.
/// Set <c>SCHOOLCRM_CHROMIUM</c> to use another Chromium binary. The browser is closed when the test process exits.
/// </remarks>
public static class SharedBrowser
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? PlaywrightDriver;
    private static IBrowser? SharedChromium;
    private static bool ExitHookInstalled;

    /// <summary>The Chromium binary used: <c>SCHOOLCRM_CHROMIUM</c> if set, otherwise <see cref="DefaultChromiumPath"/>.</summary>
    public static string ChromiumPath =>
        System.Environment.GetEnvironmentVariable("SCHOOLCRM_CHROMIUM") is { Length: > 0 } path ? path : DefaultChromiumPath;

    /// <summary>
    /// Folder for screenshots of failing browser tests: <c>SCHOOLCRM_TEST_ARTIFACTS</c> if set (test.sh points it at
    /// TestResults/artifacts), otherwise a folder under the temp path.
    /// </summary>
    public static string ArtifactsFolder =>
        System.Environment.GetEnvironmentVariable("SCHOOLCRM_TEST_ARTIFACTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Path.GetTempPath(), "schoolcrm-tests", "artifacts");

    /// <summary>Returns the shared browser, launching it on first use (or again if it went away).</summary>
    public static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (SharedChromium is { IsConnected: true })
            {
                return SharedChromium;
            }

            var executable = ChromiumPath;
            if (!File.Exists(executable))
            {
                throw new InvalidOperationException(
                    $"Chromium not found at {executable}. Install it (apt-get install chromium; ./test.sh does this) " +
                    "or point SCHOOLCRM_CHROMIUM at a Chromium binary.");
            }

            // Belt and braces: Playwright must never try to fetch its own browsers.
            System.Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

            PlaywrightDriver ??= await Playwright.CreateAsync();
            if (SharedChromium is not null)
            {
                await SharedChromium.DisposeAsync();
            }

            SharedChromium = await PlaywrightDriver.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ChromiumArgs,
            });

            if (!ExitHookInstalled)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
                ExitHookInstalled = true;
            }

            return SharedChromium;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// Opens a new isolated browser context (its own cookies, storage and cache).
    /// </summary>
    /// <param name="baseUrl">Relative URLs in <c>GotoAsync</c> resolve against this, e.g. the Kestrel address.</param>
    /// <param name="locale">Browser locale, e.g. "de-DE": sets <c>navigator.language</c> and the Accept-Language header.</param>
    /// <param name="configure">Further tweaks of the context options (time zone, viewport, ...).</param>
    public static async Task<IBrowserContext> NewContextAsync(
        string? baseUrl = null,
        string? locale = null,
        Action<BrowserNewContextOptions>? configure = null)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = locale ?? "en-US",
            TimezoneId = "Europe/Rome",
        };
        configure?.Invoke(options);

        var browser = await GetAsync();
        return await browser.NewContextAsync(options);
    }

    private static void Shutdown()
    {
        // The Playwright driver would also take Chromium down when the test host exits; this is the orderly way.
        try
        {
            SharedChromium?.CloseAsync().Wait(TimeSpan.FromSeconds(5));
            PlaywrightDriver?.Dispose();
        }
        catch (AggregateException)
        {
        }
        catch (PlaywrightException)
        {
        }
    }
}
