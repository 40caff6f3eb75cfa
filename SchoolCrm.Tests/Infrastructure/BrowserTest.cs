using System.Collections.Concurrent;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>
/// Base class for end-to-end tests: the app on Kestrel (one per test class, from <typeparamref name="TServer"/>)
/// and the shared Chromium, with a new browser context per page so every test starts signed out with fresh cookies.
/// Contexts opened here are closed after each test.
/// </summary>
/// <remarks>
/// <para>
/// Browser console errors and uncaught page exceptions are written to the test output when an
/// <see cref="ITestOutputHelper"/> is passed in.
/// </para>
/// <para>
/// Wait for a state, never for a time or a load event: after a click that navigates inside the app (a NavigateTo, a
/// link), Blazor changes the URL without a page "load", so <c>WaitForURLAsync</c> and <c>WaitForLoadStateAsync</c>
/// can wait for something that never comes. Use <c>Expect(page).ToHaveURLAsync(...)</c> (it polls the URL) or
/// expect the heading, text or row the next page shows; after a full page load, <see cref="WaitForInteractiveAsync"/>.
/// </para>
/// </remarks>
public abstract class BrowserTest<TServer> : IClassFixture<TServer>, IAsyncLifetime
    where TServer : CrmServerFixture
{
    /// <summary>
    /// CSS selector of the marker the app renders once the Blazor circuit is interactive. Contract with the app:
    /// the interactive layout contains <c>&lt;CircuitReady /&gt;</c> (SchoolCrm.Web/Components/Layout/CircuitReady.razor),
    /// which renders <c>&lt;span id="circuit-ready" hidden data-interactive="true"&gt;</c> only from
    /// <c>OnAfterRender(firstRender: true)</c> in an interactive render mode — never during prerendering — so its
    /// presence means event handlers are wired up and clicks/typing will reach the server.
    /// </summary>
    public const string CircuitReadySelector = "#circuit-ready[data-interactive=true]";

    /// <summary>How long <see cref="WaitForInteractiveAsync"/> waits for the circuit (ms).</summary>
    public const float InteractiveTimeoutMs = 30_000;

    private readonly ConcurrentBag<IBrowserContext> contexts = [];
    private readonly ConcurrentQueue<string> browserErrors = new();

    protected BrowserTest(TServer server, ITestOutputHelper? output = null)
    {
        Server = server;
        Output = output;
    }

    /// <summary>The class fixture hosting the app.</summary>
    protected TServer Server { get; }

    /// <summary>The app under test (services, data folder, settings).</summary>
    protected CrmAppFactory App => Server.App;

    /// <summary>Base address of the app, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    protected string ServerAddress => Server.ServerAddress;

    protected ITestOutputHelper? Output { get; }

    /// <summary>Console errors and uncaught exceptions seen in any page of this test so far.</summary>
    protected IReadOnlyCollection<string> BrowserErrors => browserErrors;

    /// <summary>
    /// Opens a new browser context (fresh cookies) whose base URL is the app, so <c>page.GotoAsync("/leads")</c> works.
    /// </summary>
    /// <param name="locale">Browser locale, e.g. "de-DE" (navigator.language and Accept-Language); "en-US" if null.</param>
    /// <param name="configure">Further context options (time zone, viewport, ...).</param>
    protected async Task<IBrowserContext> NewContextAsync(string? locale = null, Action<BrowserNewContextOptions>? configure = null)
    {
        var context = await SharedBrowser.NewContextAsync(ServerAddress, locale, configure);
        contexts.Add(context);
        context.Page += (_, page) => WatchPage(page);
        return context;
    }

    /// <summary>Opens a blank page in a new browser context (fresh cookies); see <see cref="NewContextAsync"/>.</summary>
    protected async Task<IPage> NewPageAsync(string? locale = null, Action<BrowserNewContextOptions>? configure = null)
    {
        var context = await NewContextAsync(locale, configure);
        return await context.NewPageAsync();
    }

    /// <summary>Opens <paramref name="path"/> (relative to the app) in a new page and waits until the circuit is interactive.</summary>
    protected async Task<IPage> OpenAsync(string path, string? locale = null)
    {
        var page = await NewPageAsync(locale);
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>
    /// Waits until the page's Blazor circuit is interactive, i.e. until <see cref="CircuitReadySelector"/> is in the DOM.
    /// Call after every full page load (GotoAsync, reload, a form post that redirects); enhanced navigation inside
    /// the circuit keeps the marker. Throws with the page URL and any browser errors on timeout.
    /// </summary>
    protected async Task WaitForInteractiveAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            await page.WaitForSelectorAsync(CircuitReadySelector, new PageWaitForSelectorOptions
            {
                State = WaitForSelectorState.Attached,
                Timeout = InteractiveTimeoutMs,
            });
        }
        catch (TimeoutException ex)
        {
            var errors = browserErrors.IsEmpty ? "none" : string.Join(Environment.NewLine, browserErrors);
            var screenshot = await TrySaveScreenshotAsync(page, "not-interactive");
            throw new TimeoutException(
                $"The Blazor circuit of {page.Url} did not become interactive within {InteractiveTimeoutMs / 1000}s " +
                $"(no {CircuitReadySelector}). Screenshot: {screenshot ?? "none"}. Browser errors: {errors}",
                ex);
        }
    }

    /// <summary>
    /// Saves a full-page screenshot to <see cref="SharedBrowser.ArtifactsFolder"/> (name: test class, <paramref name="name"/>, a unique
    /// suffix) and returns its path, or null if the page could not be captured.
    /// </summary>
    protected async Task<string?> TrySaveScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            Directory.CreateDirectory(SharedBrowser.ArtifactsFolder);
            var path = Path.Combine(SharedBrowser.ArtifactsFolder, $"{GetType().Name}-{name}-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            return path;
        }
        catch (PlaywrightException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // The browser is already gone (crashed or shut down); the test's own result is what matters.
            }
        }
    }

    private void WatchPage(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Report(string.IsNullOrEmpty(message.Location)
                    ? $"console error: {message.Text}"
                    : $"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Report($"page error: {error}");
    }

    private void Report(string line)
    {
        browserErrors.Enqueue(line);
        try
        {
            Output?.WriteLine($"[browser] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has already finished; the output helper no longer accepts lines.
        }
    }
}

/// <summary>
/// <see cref="BrowserTest{TServer}"/> with the default <see cref="CrmServerFixture"/>.
/// </summary>
/// <example>
/// <code>
/// public sealed class LeadListTests(CrmServerFixture server, ITestOutputHelper output) : BrowserTest(server, output)
/// {
///     [Fact]
///     public async Task Shows_the_heading()
///     {
///         var page = await OpenAsync("/");
///         await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("SchoolCrm");
///     }
/// }
/// </code>
/// </example>
public abstract class BrowserTest(CrmServerFixture server, ITestOutputHelper? output = null)
    : BrowserTest<CrmServerFixture>(server, output);
