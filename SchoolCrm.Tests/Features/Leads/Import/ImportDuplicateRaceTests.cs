using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Tests.Features.Leads.Import;

/// <summary>
/// Duplicate matching when imports and saves run at the same time (issue 12): each import matches its rows against
/// the leads there when it starts, so two imports of the same people on two nodes must not both start before either
/// wrote (PostgreSQL's READ COMMITTED would let both claims through), and a lead added by hand while an import runs
/// must be matched by the rows that come after it.
/// </summary>
public sealed class ImportDuplicateRaceTests
{
    private static readonly string[] Headers = ["First name", "E-mail", "City"];

    [Fact]
    public async Task Two_imports_of_the_same_people_started_at_once_on_two_nodes_create_each_lead_once_the_second_matching_the_firsts()
    {
        RaceGate gate = null!;
        await using var nodeA = new GatedApp(a => (gate = new RaceGate(a.ConnectionString, IsClaim, IsClaim)).For(firstCall: true));
        nodeA.WithSetting(CrmNode.Setting, "node-a");
        await using var nodeB = new GatedApp(_ => gate.For(firstCall: false));
        nodeB.WithSetting(CrmNode.Setting, "node-b").WithSetting("ConnectionStrings:Crm", nodeA.ConnectionString);
        var kit = await ImportTestKit.CreateAsync(nodeA);
        _ = nodeB.Services;
        object?[][] rows = [.. Enumerable.Range(0, 30).Select(i => new object?[] { "Person " + i, $"person{i}@example.org", "Bolzano" })];
        var path = kit.Xlsx(Headers, rows);
        var uploadA = await UploadAsync(nodeA, kit, path);
        var uploadB = await UploadAsync(nodeB, kit, path);

        // Node A's claim is written, not yet committed, when node B's import asks to start.
        var importA = await StartAsync(nodeA, kit, uploadA);
        await gate.FirstPaused;
        var importB = await StartAsync(nodeB, kit, uploadB);

        var first = await WaitUntilFinishedAsync(kit, importA);
        var second = await WaitUntilFinishedAsync(kit, importB);
        Assert.Equal((LeadImportState.Completed, 30, 0), (first.State, first.Created, first.Skipped));
        Assert.Equal((LeadImportState.Completed, 0, 30), (second.State, second.Created, second.Skipped));
        await using var db = await kit.DbAsync();
        Assert.Equal(30, await db.Leads.CountAsync(l => l.EmailKey != null && l.EmailKey.StartsWith("person")));
    }

    [Theory]
    [InlineData(DuplicatePolicy.Skip)]
    [InlineData(DuplicatePolicy.Update)]
    public async Task A_lead_added_by_hand_while_an_import_runs_is_matched_by_the_row_with_its_email_not_imported_again(DuplicatePolicy policy)
    {
        await using var app = new CrmAppFactory();
        var kit = await ImportTestKit.CreateAsync(app);
        var path = kit.Xlsx(Headers, ["Anna", "anna@example.org", "Merano"], ["Bruno", "bruno@example.org", "Merano"], ["Carla", "Carla@Example.org", "Merano"]);
        var upload = await kit.UploadAsync(kit.Operator, path);
        int? handAdded = null;
        Exception? addFailure = null;

        // On the worker, after the import read its first row and before it wrote anything: the planner has already
        // read the CRM's e-mails, so only the batch can still see Carla's new lead.
        void AddCarlaByHand(ImportProgress progress)
        {
            if (progress.Phase != ImportPhase.Writing || handAdded is not null || addFailure is not null)
            {
                return;
            }

            try
            {
                handAdded = app.AsAsync(kit.Admin, isAdmin: false, leads => leads.CreateAsync(
                    new PersonDetails { FirstName = "Carla", Email = "carla@example.org", City = "Bolzano", CaptureDate = new DateOnly(2026, 11, 1) },
                    kit.Statuses["New"], null, [])).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                addFailure = e;
            }
        }

        var import = await kit.ImportWatchingAsync(kit.Operator, upload, ImportTestKit.SettingsFor(upload, policy), AddCarlaByHand);

        Assert.Null(addFailure);
        Assert.NotNull(handAdded);
        Assert.Equal(LeadImportState.Completed, import.State);
        Assert.Equal(
            policy == DuplicatePolicy.Skip ? (2, 0, 1) : (2, 1, 0),
            (import.Created, import.Updated, import.Skipped));
        await using var db = await kit.DbAsync();
        var carlas = await db.Leads.Where(l => l.EmailKey == "carla@example.org").Select(l => new { l.Id, l.City }).ToListAsync();
        var carla = Assert.Single(carlas);
        Assert.Equal((handAdded, policy == DuplicatePolicy.Skip ? "Bolzano" : "Merano"), ((int?)carla.Id, carla.City));
    }

    private static bool IsClaim(System.Data.Common.DbCommand command) =>
        command.CommandText.TrimStart().StartsWith("UPDATE \"LeadImports\"", StringComparison.Ordinal);

    private static async Task<UploadSummary> UploadAsync(GatedApp node, ImportTestKit kit, string path)
    {
        await using var scope = node.Services.CreateScopeAs(kit.Operator, isAdmin: false);
        await using var file = File.OpenRead(path);
        return await scope.ServiceProvider.GetRequiredService<LeadImportService>().UploadAsync(file, Path.GetFileName(path), CancellationToken.None);
    }

    private static async Task<int> StartAsync(GatedApp node, ImportTestKit kit, UploadSummary upload)
    {
        await using var scope = node.Services.CreateScopeAs(kit.Operator, isAdmin: false);
        return await scope.ServiceProvider.GetRequiredService<LeadImportService>().StartAsync(upload.UploadId, ImportTestKit.SettingsFor(upload));
    }

    /// <summary>Looks at the import's row until it has finished (on whichever node); the two minutes only end a hung test.</summary>
    private static async Task<LeadImport> WaitUntilFinishedAsync(ImportTestKit kit, int importId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            await using (var db = await kit.DbAsync())
            {
                var import = await db.Set<LeadImport>().AsNoTracking().SingleAsync(i => i.Id == importId, timeout.Token);
                if (import.State is not (LeadImportState.Queued or LeadImportState.Running))
                {
                    return import;
                }
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
