using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Data.Configurations;
using Xunit.Abstractions;

namespace SchoolCrm.Tests.EndToEnd;

/// <summary>
/// The app as a real child process (the built SchoolCrm.Web on 127.0.0.1 with a throw-away data folder), killed
/// while an import started in the browser is writing, then started again on the same data folder.
/// </summary>
public sealed class ImportCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminEmail = "admin@crash.test";
    private const string AdminPassword = "Crash-Pass-1234!";
    private const int UpdatedLeads = 10;
    private const int Rows = 60_000;

    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "schoolcrm-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private Process? server;

    private string DatabasePath => Path.Combine(dataFolder, "crm.db");

    [Fact]
    public async Task A_server_killed_mid_import_rolls_the_import_back_when_it_starts_again()
    {
        var address = await StartServerAsync();
        var before = await SeedLeadsToUpdateAsync();
        var file = Path.Combine(dataFolder, "archive.xlsx");
        ImportTestKit.WriteXlsx(file, ["First name", "E-mail", "Status", "Interests"], Enumerable.Range(1, Rows).Select(i => i <= UpdatedLeads
            ? new object?[] { "Changed " + i, $"old{i}@example.it", "Contacted", "Music; Sport" }
            : new object?[] { "Lead " + i, $"l{i}@example.it", null, "Music" }));

        await using (var context = await SharedBrowser.NewContextAsync(address, null, null))
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, AdminEmail, AdminPassword);
            await page.GotoAsync("/leads/import");
            await page.WaitForSelectorAsync(BrowserTest.CircuitReadySelector, new() { State = WaitForSelectorState.Attached });
            await page.SetInputFilesAsync("#import-file", file);
            await Assertions.Expect(page.Locator("#import-mapping")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            // MudSelect puts the id on a hidden input; the visible control around it opens the list.
            await page.Locator("div.mud-select").Filter(new() { Has = page.Locator("#import-policy") }).First.ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "Update the existing lead", Exact = true }).ClickAsync();

            // The choice is the step's once the select shows it: clicking Preview before that previewed "skip" on a loaded machine.
            await Assertions.Expect(page.Locator("#import-policy")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Update"));
            await page.ClickAsync("#import-preview");
            await Assertions.Expect(page.GetByTestId("preview-create")).ToContainTextAsync((Rows - UpdatedLeads).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 120_000 });

            // The updates are what the journal holds: without them ("skip" still chosen) there is nothing to wait for below.
            await Assertions.Expect(page.GetByTestId("preview-update")).ToContainTextAsync(UpdatedLeads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.ClickAsync("#import-start");

            // The state to kill in: the import running, its updates journaled and some of its new leads committed.
            // Looked for in the database straight after the click, in a file of 60k rows: since the job reads the preview's copy of the rows
            // and leaves no gaps when nobody waits, 30k rows were written in a few seconds, which waiting for the
            // page's progress first could use up on a loaded machine.
            await WaitUntilAsync(
                "the import is writing",
                db => db.Set<LeadImport>().Any(i => i.State == LeadImportState.Running)
                    && db.Set<LeadImportJournalEntry>().Any()
                    && db.Leads.Any(l => EF.Property<int?>(l, LeadImportConfiguration.LeadImportIdProperty) != null));

            // Killed at once, before the browser context closes: closing it can take seconds on a loaded machine,
            // in which the import would finish.
            KillServer();
        }

        await using (var db = Db())
        {
            Assert.Equal(LeadImportState.Running, (await db.Set<LeadImport>().SingleAsync()).State);
            Assert.NotEqual(before, await LeadStatesAsync(db));
        }

        await StartServerAsync();
        await WaitUntilAsync("the interrupted import is rolled back", db => db.Set<LeadImport>().Any(i => i.State == LeadImportState.Failed));

        await using var check = Db();
        var import = await check.Set<LeadImport>().SingleAsync();
        Assert.Equal("import.interrupted", import.FailureCode);
        Assert.Equal(0, await check.Leads.CountAsync(l => EF.Property<int?>(l, LeadImportConfiguration.LeadImportIdProperty) != null));
        Assert.Equal(before, await LeadStatesAsync(check));
        Assert.Equal(0, await check.Set<LeadImportJournalEntry>().CountAsync());
    }

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(dataFolder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        KillServer();
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        try
        {
            Directory.Delete(dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned up later anyway.
        }
    }

    /// <summary>Starts the built app on a free loopback port and waits until /health answers.</summary>
    private async Task<string> StartServerAsync()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var address = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dataFolder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SchoolCrm.Web.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Crm"] = "Data Source=" + DatabasePath;
        start.Environment["School__DataFolder"] = dataFolder;
        start.Environment["Urls"] = address;
        start.Environment["Bootstrap__AdminEmail"] = AdminEmail;
        start.Environment["Bootstrap__AdminPassword"] = AdminPassword;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        // A loaded test machine must not turn a slow batch into a refused write: this test is about the crash.
        start.Environment["Database__BusyTimeoutSeconds"] = "30";
        server = Process.Start(start)!;
        server.OutputDataReceived += (_, e) => Log(e.Data);
        server.ErrorDataReceived += (_, e) => Log(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.False(server.HasExited, "The app exited at start-up.");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return address;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, "The app did not answer /health.");
            await Task.Delay(100);
        }
    }

    private void KillServer()
    {
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
        }

        server?.Dispose();
        server = null;
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; late output of the child is dropped.
            }
        }
    }

    private CrmDbContext Db() =>
        new(new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(new SqliteConnectionStringBuilder { DataSource = DatabasePath, ForeignKeys = true, DefaultTimeout = 30 }.ToString()).Options);

    /// <summary>
    /// Polls the database (not the clock) until the condition holds, on a thread of its own: with the rest of the suite
    /// running in parallel the thread pool can be too busy to resume a poll for seconds, in which the import finishes.
    /// </summary>
    private Task WaitUntilAsync(string what, Func<CrmDbContext, bool> condition) => Task.Factory.StartNew(
        () =>
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (true)
            {
                using (var db = Db())
                {
                    if (condition(db))
                    {
                        return;
                    }
                }

                if (DateTime.UtcNow >= deadline)
                {
                    // Say where the import got to, so a failure here tells what happened instead.
                    using var db = Db();
                    var imports = db.Set<LeadImport>().Select(i => i.State + " " + i.FailureCode + " created " + i.Created + " updated " + i.Updated).ToList();
                    var journal = db.Set<LeadImportJournalEntry>().Count();
                    Assert.Fail("Gave up waiting until " + what + "; imports: " + string.Join(", ", imports) + "; journal rows: " + journal + ".");
                }

                Assert.False(server is { HasExited: true }, "The app exited while waiting until " + what + ".");
                Thread.Sleep(20);
            }
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    /// <summary>The Interests field and ten leads with history, written while the app runs.</summary>
    private async Task<List<string>> SeedLeadsToUpdateAsync()
    {
        await using var db = Db();
        var adminId = await db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).SingleAsync();
        // The first start made the statuses New (the default) and Contacted, among others.
        var fresh = await db.LeadStatuses.SingleAsync(s => s.IsDefault);
        var interests = new CustomField("Interests", CustomFieldType.MultipleChoice, 0, false);
        interests.AddOption("Music");
        interests.AddOption("Sport");
        db.Add(interests);
        await db.SaveChangesAsync();

        var now = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);
        for (int i = 1; i <= UpdatedLeads; i++)
        {
            var lead = Lead.Create(new PersonDetails { FirstName = "Old " + i, Email = $"old{i}@example.it", CaptureDate = new DateOnly(2026, 1, 5) }, fresh.Id, adminId, adminId, now);
            lead.CustomValues.Add(CustomFieldValue.Option(interests.Id, interests.Options.Single(o => o.Label == "Sport").Id));
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            db.History.Add(HistoryEntry.ForLead(lead.Id, new FieldChange("Created", null, null), adminId, now));
        }

        await db.SaveChangesAsync();
        return await LeadStatesAsync(db);
    }

    private static async Task<List<string>> LeadStatesAsync(CrmDbContext db)
    {
        var leads = await db.Leads.AsNoTracking().Include(l => l.CustomValues).OrderBy(l => l.Id).ToListAsync();
        var history = await db.History.AsNoTracking().CountAsync();
        return [.. leads.Select(l => string.Join(
            " | ",
            l.Details,
            l.StatusId,
            l.AssignedToUserId,
            l.Version,
            string.Join(',', l.CustomValues.Select(v => v.Snapshot()).OrderBy(v => v.OptionId))) + " | history " + history)];
    }
}
