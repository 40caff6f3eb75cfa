using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Filters;

/// <summary>
/// The real app's SQLite file (migrated at start) with three users, three statuses and a custom field of every type
/// (plus an archived one), for running filters as SQL. Leads are added by each test class.
/// </summary>
public class FilterDatabase : IAsyncLifetime
{
    private readonly CrmAppFactory app = new();

    public static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    /// <summary>The moment the filters run (10:30 in Rome): relative dates and deadlines count from it, not from the clock.</summary>
    public static readonly DateTime NowUtc = new(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc);

    /// <summary>The school day of <see cref="NowUtc"/>.</summary>
    public static readonly DateOnly Today = new(2026, 12, 1);

    /// <summary>The admin, then the operators Olga and Otto.</summary>
    public List<AppUser> Users { get; } = [];

    public List<string> UserIds { get; } = [];

    public List<int> StatusIds { get; } = [];

    public List<CustomFieldDefinition> Fields { get; } = [];

    /// <summary>Completed imports, which conditions may name.</summary>
    public List<int> ImportIds { get; } = [];

    /// <summary>An undone, a failed and a cancelled import: a condition naming one is broken.</summary>
    public List<int> GoneImportIds { get; } = [];

    /// <summary>The configured task types (the first admin's bootstrap made them).</summary>
    public List<int> TaskTypeIds { get; } = [];

    public FilterCatalogue Catalogue => new(Fields, StatusIds, UserIds, ImportIds, TaskTypeIds);

    public FilterContext Context => new(UserIds[1], NowUtc, Rome);

    public async Task InitializeAsync()
    {
        Users.Add(await app.AdminAsync());
        Users.Add(await app.Services.CreateUserAsync("olga@school.test", Roles.Operator, "Olga Operator"));
        Users.Add(await app.Services.CreateUserAsync("otto@school.test", Roles.Operator, "Otto Operator"));
        UserIds.AddRange(Users.Select(u => u.Id));

        await using var db = Db();
        StatusIds.Add(await db.LeadStatuses.Where(s => s.IsDefault).Select(s => s.Id).SingleAsync());
        var statuses = new[] { new LeadStatus("Contacted again", 60), new LeadStatus("Visited", 61) };
        db.LeadStatuses.AddRange(statuses);

        var fields = new List<CustomField>();
        foreach (var type in Enum.GetValues<CustomFieldType>())
        {
            var field = new CustomField("Field " + type, type, fields.Count, false);
            if (field.HasOptions)
            {
                field.AddOption("Müsik");
                field.AddOption("Art & 100%");
                field.AddOption("Sport_");
            }

            fields.Add(field);
        }

        var archived = new CustomField("Old text", CustomFieldType.Text, fields.Count, false);
        fields.Add(archived);
        db.CustomFields.AddRange(fields);
        await db.SaveChangesAsync();
        archived.Archive();
        await db.SaveChangesAsync();

        StatusIds.AddRange(statuses.Select(s => s.Id));
        Fields.AddRange(fields.Select(CustomFieldDefinition.From));
        await AddImportsAsync(db);
        TaskTypeIds.AddRange(await db.TaskTypes.OrderBy(t => t.Id).Select(t => t.Id).ToListAsync());
        await SeedAsync();
    }

    // Three completed imports, then an undone, a failed and a cancelled one; the catalogue offers what
    // FilterCatalogue.OfferedImports selects.
    private async Task AddImportsAsync(CrmDbContext db)
    {
        var at = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
        var imports = Enumerable.Range(0, 6).Select(i => LeadImport.Queue($"leads-{i}.xlsx", UserIds[0], at)).ToList();
        foreach (var import in imports.Take(5))
        {
            import.Start(at);
        }

        foreach (var import in imports.Take(4))
        {
            import.Complete(10, 10, 0, 0, 0, at);
        }

        imports[3].MarkUndone(10, UserIds[0], at);
        imports[4].Fail("import.failed", at);
        imports[5].Cancel(at);
        db.AddRange(imports);
        await db.SaveChangesAsync();
        ImportIds.AddRange(await db.Set<LeadImport>().Where(FilterCatalogue.OfferedImports).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync());
        GoneImportIds.AddRange(imports.Skip(3).Select(i => i.Id));
    }

    /// <summary>The leads a test class works on, added once when the fixture starts.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public CrmDbContext Db() => app.Db();

    /// <summary>A scope whose services act as user <paramref name="index"/> of <see cref="Users"/> (0 is the admin).</summary>
    public AsyncServiceScope As(int index) => app.Services.CreateScopeAs(Users[index], isAdmin: index == 0);

    /// <summary>A context of its own that reports to the interceptors (commands sent, entities materialised).</summary>
    public CrmDbContext Db(params IInterceptor[] interceptors) =>
        TestDatabase.NewContext(app.ConnectionString, interceptors);

    /// <summary>A lead as a form would make it (custom values checked by the rules; archived fields included).</summary>
    public Lead NewLead(PersonDetails details, int statusId, string? assignee, string createdBy, DateTime createdUtc, IReadOnlyList<CustomValueInput> values, int? importId = null)
    {
        var lead = Lead.Create(details, statusId, assignee, createdBy, createdUtc, importId);
        if (values.Count > 0)
        {
            var check = CustomValueRules.Check([.. Fields.Select(f => f with { IsArchived = false })], values);
            Assert.True(check.IsValid, string.Join(", ", check.Errors));
            lead.SetCustomValues(check, createdBy, createdUtc);
        }

        return lead;
    }

    public async Task AddAsync(IEnumerable<Lead> leads)
    {
        await using var db = Db();
        db.Leads.AddRange(leads);
        await db.SaveChangesAsync();
    }

    /// <summary>Comments on a lead not yet saved (its id comes with it when saved).</summary>
    public static void AddComment(Lead lead, string byUserId, DateTime writtenUtc) =>
        lead.Comments.Add(Comment.OnLead(lead.Id, byUserId, "Called back", writtenUtc));

    /// <summary>Every lead with its custom values, comments and tasks, as the reference evaluator reads them.</summary>
    public async Task<List<Lead>> LoadAsync()
    {
        await using var db = Db();
        return await db.Leads.AsNoTracking().Include(l => l.CustomValues).Include(l => l.Comments).Include(l => l.Tasks)
            .AsSplitQuery().OrderBy(l => l.Id).ToListAsync();
    }

    public CustomFieldDefinition Field(CustomFieldType type) => Fields.First(f => f.Type == type);

    public async Task DisposeAsync() => await app.DisposeAsync();
}
