using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SchoolCrm.Domain.Import;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Leads.Import;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data.Configurations;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Features.Nodes;

/// <summary>
/// Uploads, exports and the import's progress with two app nodes on one database and one shared folder (issue 12,
/// "State that lives in one process today moves where every node sees it"): a request may reach either node.
/// </summary>
public sealed class SharedFilesNodesTests : IDisposable
{
    // The folder both nodes mount (a network share in production); each node keeps its own data folder.
    private readonly string sharedFolder = Path.Combine(Path.GetTempPath(), "schoolcrm-tests", "shared-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(sharedFolder))
        {
            Directory.Delete(sharedFolder, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_uploaded_through_node_A_is_previewed_and_imported_through_node_B()
    {
        var (a, b) = StartTwo();
        await using var _ = a;
        await using var __ = b;
        var kit = await ImportTestKit.CreateAsync(a);
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "Last name", "Email"], ["Lucia", "Rossi", "lucia@example.test"], ["Marco", "Bianchi", "marco@example.test"]));
        var settings = ImportTestKit.SettingsFor(upload);

        int importId;
        await using (var onB = b.Services.CreateScopeAs(kit.Operator, false))
        {
            var imports = onB.ServiceProvider.GetRequiredService<LeadImportService>();
            var preview = await imports.PreviewAsync(upload.UploadId, settings, CancellationToken.None);
            Assert.Equal(2, preview.Create);
            importId = await imports.StartAsync(upload.UploadId, settings);
        }

        Assert.Equal(LeadImportState.Completed, await WaitUntilFinishedAsync(b, importId));
        await using var db = b.Db();
        Assert.Equal(2, await db.Leads.CountAsync(l => l.ImportId == importId));
        Assert.Equal(b.NodeName, await db.Set<LeadImport>().Where(i => i.Id == importId).Select(i => EF.Property<string?>(i, CrmNode.ImportNodeProperty)).SingleAsync());

        // The imported file has served its purpose: gone from the shared folder and from the database.
        Assert.Empty(Directory.GetFiles(sharedFolder));
        Assert.False(await db.SharedFiles.AnyAsync());
    }

    [Fact]
    public async Task An_export_prepared_through_node_A_downloads_from_node_B_once()
    {
        var (a, b) = StartTwo();
        await using var _ = a;
        await using var __ = b;
        var kit = await ImportTestKit.CreateAsync(a);
        var file = await kit.ExportAsync(kit.Operator, ["FirstName"]);
        var cookie = await b.SignInCookieAsync(kit.Operator.Email!);

        using var fromB = await GetAsync(b, $"/leads/export/{file.Token}", cookie);
        var bytes = await fromB.Content.ReadAsByteArrayAsync();
        using var againFromA = await GetAsync(a, $"/leads/export/{file.Token}", cookie);

        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.True(bytes.Length > 0);
        Assert.Equal(HttpStatusCode.NotFound, againFromA.StatusCode);
        Assert.False(File.Exists(file.Path));
    }

    [Fact]
    public async Task An_import_running_on_node_A_shows_its_progress_on_node_B_and_stops_when_cancelled_there()
    {
        var (a, b) = StartTwo();
        await using var _ = a;
        await using var __ = b;
        var kit = await ImportTestKit.CreateAsync(a);
        var rows = Enumerable.Range(1, 5000).Select(i => new object?[] { "Lead" + i, "lead" + i + "@example.test" }).ToArray();
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "Email"], rows));

        // A's import goes slowly: every progress step on A takes over a second, so each one is stored for the
        // other nodes (StoreProgressEvery) and the import is far from done when B cancels it.
        var jobs = a.Services.GetRequiredService<LeadImportJobs>();
        static void Slow(ImportProgress progress) => Thread.Sleep(LeadImportJob.StoreProgressEvery + TimeSpan.FromMilliseconds(100));
        jobs.Changed += Slow;
        try
        {
            int importId;
            await using (var onA = a.Services.CreateScopeAs(kit.Operator, false))
            {
                importId = await onA.ServiceProvider.GetRequiredService<LeadImportService>().StartAsync(upload.UploadId, ImportTestKit.SettingsFor(upload));
            }

            await using var onB = b.Services.CreateScopeAs(kit.Operator, false);
            var imports = onB.ServiceProvider.GetRequiredService<LeadImportService>();
            Assert.Null(b.Services.GetRequiredService<LeadImportJobs>().Find(importId));
            var seen = await WaitForAsync(() => imports.GetStatusAsync(importId), s => s is { Phase: ImportPhase.Writing, RowsDone: > 0 });
            Assert.Equal(5000, seen!.TotalRows);
            Assert.Equal(importId, (await imports.FindUnfinishedAsync())?.ImportId);

            await imports.CancelAsync(importId);

            var ended = await WaitForAsync(() => imports.GetStatusAsync(importId), s => s?.Phase == ImportPhase.Finished);
            Assert.Equal(LeadImportState.Cancelled, ended!.Outcome);
            Assert.Equal(ImportPhase.Finished, jobs.Find(importId)?.Phase);
            await using var db = b.Db();
            Assert.False(await db.Leads.AnyAsync(l => l.ImportId == importId));
        }
        finally
        {
            jobs.Changed -= Slow;
        }
    }

    [Fact]
    public async Task A_dead_nodes_import_is_rolled_back_by_another_node_and_the_queue_goes_on()
    {
        var (a, b) = StartTwo();
        await using var _ = a;
        await using var __ = b;
        var kit = await ImportTestKit.CreateAsync(a);

        // A node that died mid-import: its import is Running, one lead of it is written, its heartbeat stops.
        await kit.ImportFileAsync(kit.Xlsx(["First name", "Email"], ["Half", "half@example.test"]));
        int dead;
        await using (var db = a.Db())
        {
            var import = LeadImport.Queue("dead.xlsx", kit.Operator.Id, a.Time.GetUtcNow().UtcDateTime);
            import.Start(a.Time.GetUtcNow().UtcDateTime);
            var entry = db.Add(import);
            entry.Property(CrmNode.ImportNodeProperty).CurrentValue = "node-dead";
            entry.Property(LeadImportConfiguration.HeartbeatAtProperty).CurrentValue = a.Time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync();
            dead = import.Id;
            await db.Leads.Where(l => l.Email == "half@example.test").ExecuteUpdateAsync(s => s.SetProperty(l => l.ImportId, dead));
        }

        // B's import waits for it, as for any running import.
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "Email"], ["Lucia", "lucia@example.test"]));
        int queued;
        await using (var onB = b.Services.CreateScopeAs(kit.Operator, false))
        {
            queued = await onB.ServiceProvider.GetRequiredService<LeadImportService>().StartAsync(upload.UploadId, ImportTestKit.SettingsFor(upload));
        }

        b.Time.Advance(LeadImportJob.ClaimPoll);
        await Task.Delay(200);
        Assert.Equal(LeadImportState.Queued, await StateAsync(b, queued));

        // Past the heartbeat timeout, the next look of a live node rolls the dead node's import back.
        b.Time.Advance(LeadImportWorker.HeartbeatTimeout + LeadImportWorker.WatchEvery);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await StateAsync(b, queued) is LeadImportState.Queued or LeadImportState.Running && DateTime.UtcNow < deadline)
        {
            b.Time.Advance(LeadImportJob.ClaimPoll);
            await Task.Delay(50);
        }

        await using var check = b.Db();
        var rolledBack = await check.Set<LeadImport>().AsNoTracking().SingleAsync(i => i.Id == dead);
        Assert.Equal((LeadImportState.Failed, "import.interrupted"), (rolledBack.State, rolledBack.FailureCode));
        Assert.False(await check.Leads.AnyAsync(l => l.Email == "half@example.test"));
        Assert.Equal(LeadImportState.Completed, await StateAsync(b, queued));
        Assert.True(await check.Leads.AnyAsync(l => l.Email == "lucia@example.test"));
    }

    [Fact]
    public async Task A_node_never_takes_an_import_it_runs_itself_for_dead_however_old_its_heartbeat()
    {
        var nodes = AppNode.StartMany(1);
        await using var a = nodes[0];
        var kit = await ImportTestKit.CreateAsync(a);
        using var held = HoldWhileWriting(a);
        var importId = await StartThreeThousandRowsAsync(a, kit);
        Assert.True(held.Writing.Wait(TimeSpan.FromMinutes(1)));

        a.Time.Advance(LeadImportWorker.HeartbeatTimeout + LeadImportWorker.WatchEvery);
        var worker = a.Services.GetServices<IHostedService>().OfType<LeadImportWorker>().Single();

        Assert.Equal(0, await worker.RollBackAbandonedAsync(CancellationToken.None));
        Assert.Equal(LeadImportState.Running, await StateAsync(a, importId));
        held.Release.Set();
        Assert.Equal(LeadImportState.Completed, (await kit.WaitForImportAsync(importId)).State);
    }

    [Fact]
    public async Task A_node_taken_for_dead_while_it_was_only_stuck_stops_writing_and_keeps_nothing()
    {
        var (a, b) = StartTwo();
        await using var _ = a;
        await using var __ = b;
        var kit = await ImportTestKit.CreateAsync(a);
        using var held = HoldWhileWriting(a);
        var importId = await StartThreeThousandRowsAsync(a, kit);
        Assert.True(held.Writing.Wait(TimeSpan.FromMinutes(1)));

        // A hangs past the timeout (as a node whose machine froze): B rolls its import back.
        b.Time.Advance(LeadImportWorker.HeartbeatTimeout + LeadImportWorker.WatchEvery);
        Assert.Equal(LeadImportState.Failed, await WaitUntilFinishedAsync(b, importId));

        // A wakes up: at its next progress store it finds its import no longer running and stops.
        held.Release.Set();
        Assert.Equal(LeadImportState.Failed, (await kit.WaitForImportAsync(importId)).State);
        await using var db = b.Db();
        Assert.False(await db.Leads.AnyAsync(l => l.ImportId == importId));
    }

    private static async Task<int> StartThreeThousandRowsAsync(AppNode node, ImportTestKit kit)
    {
        var rows = Enumerable.Range(1, 3000).Select(i => new object?[] { "Lead" + i, "lead" + i + "@example.test" }).ToArray();
        var upload = await kit.UploadAsync(kit.Operator, kit.Xlsx(["First name", "Email"], rows));
        await using var scope = node.Services.CreateScopeAs(kit.Operator, false);
        return await scope.ServiceProvider.GetRequiredService<LeadImportService>().StartAsync(upload.UploadId, ImportTestKit.SettingsFor(upload));
    }

    // Holds the node's import at its first step of writing (on the worker's thread) until released.
    private static HeldImport HoldWhileWriting(AppNode node) => new(node.Services.GetRequiredService<LeadImportJobs>());

    private sealed class HeldImport : IDisposable
    {
        private readonly LeadImportJobs jobs;

        public HeldImport(LeadImportJobs jobs)
        {
            this.jobs = jobs;
            jobs.Changed += Hold;
        }

        public ManualResetEventSlim Writing { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public void Dispose()
        {
            // The events are not disposed: the worker's thread may still be waking up from Release.
            Release.Set();
            jobs.Changed -= Hold;
        }

        private void Hold(ImportProgress progress)
        {
            if (progress.Phase == ImportPhase.Writing && !Writing.IsSet)
            {
                Writing.Set();
                Release.Wait(TimeSpan.FromMinutes(1));
            }
        }
    }

    private (AppNode A, AppNode B) StartTwo()
    {
        var nodes = AppNode.StartMany(2, new Dictionary<string, string?> { [TempFiles.SharedFolderSetting] = sharedFolder });
        return (nodes[0], nodes[1]);
    }

    private static async Task<HttpResponseMessage> GetAsync(AppNode node, string path, string cookie)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(node.ServerAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var value = await read();
        while (!done(value))
        {
            Assert.True(DateTime.UtcNow < deadline, "Still " + value);
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }

    private static async Task<LeadImportState> WaitUntilFinishedAsync(AppNode node, int importId) =>
        await WaitForAsync(() => StateAsync(node, importId), s => s is not (LeadImportState.Queued or LeadImportState.Running));

    private static async Task<LeadImportState> StateAsync(AppNode node, int importId)
    {
        await using var db = node.Db();
        return await db.Set<LeadImport>().Where(i => i.Id == importId).Select(i => i.State).SingleAsync();
    }
}
