using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>The user's choices for one import: where each column goes, and how to read and match rows.</summary>
/// <param name="ColumnTargets">One <see cref="ImportTarget.Key"/> per column of the file, "" to ignore it.</param>
public sealed record ImportSettings(
    IReadOnlyList<string> ColumnTargets,
    DateOrder DateOrder = DateOrder.DayFirst,
    DuplicateMatchKey MatchKey = DuplicateMatchKey.Email,
    DuplicatePolicy Policy = DuplicatePolicy.Skip,
    bool CreateMissingStatuses = false);

public enum RowAction
{
    Empty,
    Error,
    Create,
    Update,
    SkipExisting,
    SkipRepeated,
}

/// <param name="Details">Cleaned details for a new lead (Create).</param>
/// <param name="LeadId">The existing lead (Update, SkipExisting).</param>
public sealed record RowPlan(SheetRow Row, RowAction Action, ParsedLeadRow Parsed, PersonDetails? Details = null, int? LeadId = null, int? FirstRowNumber = null);

/// <summary>
/// Decides what happens to each row, the same way for the preview, the error-rows file and the import itself.
/// Everything it compares against (statuses, operators, custom fields, existing duplicate keys) is loaded once
/// up front: a query per row would make a 100k-row import take minutes.
/// </summary>
public sealed class LeadImportPlanner
{
    private const int MaxDateSamples = 20_000;

    private readonly DuplicateFinder duplicates;
    private readonly int[] dateColumns;
    private readonly HashSet<string> dateTexts = new(StringComparer.Ordinal);

    private LeadImportPlanner(LeadRowContext context, DuplicateFinder duplicates, int? defaultStatusId, int[] dateColumns, int lastLeadId)
    {
        Context = context;
        this.duplicates = duplicates;
        DefaultStatusId = defaultStatusId;
        this.dateColumns = dateColumns;
        LastLeadId = lastLeadId;
    }

    /// <summary>The highest lead id when the existing keys were read: leads above it came later (see <see cref="KeysAfter"/>).</summary>
    public int LastLeadId { get; }

    public DuplicateMatchKey MatchKey => duplicates.Key;

    public LeadRowContext Context { get; }

    /// <summary>The status of new leads whose row names none; null when the CRM has no status at all.</summary>
    public int? DefaultStatusId { get; }

    /// <summary>Date texts seen so far (dates typed as text, not date cells), for day/month order detection.</summary>
    public IReadOnlyCollection<string> DateTexts => dateTexts;

    public static async Task<LeadImportPlanner> LoadAsync(CrmDbContext db, ImportSettings settings, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);

        // Replaceable by CustomFieldService.ListActiveAsync once it exists.
        var customFields = await db.CustomFields.AsNoTracking().Include(f => f.Options)
            .Where(f => !f.IsArchived).ToDictionaryAsync(f => f.Id, ct);
        var statuses = await db.LeadStatuses.AsNoTracking()
            .OrderBy(s => s.SortOrder).Select(s => new { s.Id, s.NormalizedName, s.IsDefault }).ToListAsync(ct);

        // Replaceable by UserService.ListAssignableAsync once it exists.
        var users = await db.Users.AsNoTracking().Where(u => !u.IsDisabled)
            .Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(ct);

        var columns = settings.ColumnTargets.Select(ImportTarget.Parse)
            .Select(t => t.CustomFieldId is { } id && !customFields.ContainsKey(id) ? ImportTarget.Ignore : t)
            .ToList();
        var context = new LeadRowContext
        {
            Columns = columns,
            DateOrder = settings.DateOrder,
            Today = today,
            CustomFields = customFields,
            StatusIds = statuses.ToDictionary(s => s.NormalizedName, s => s.Id, StringComparer.Ordinal),
            CreateMissingStatuses = settings.CreateMissingStatuses,
            UserIdsByEmail = users.Where(u => !string.IsNullOrEmpty(u.Email))
                .GroupBy(u => u.Email!.Trim().ToUpperInvariant()).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal),
            UserIdsByName = users.Where(u => !string.IsNullOrWhiteSpace(u.DisplayName))
                .GroupBy(u => u.DisplayName.Trim().ToUpperInvariant())
                .ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().Id : null, StringComparer.Ordinal),
        };

        // Read before the keys: a lead added in between is then read twice, never missed.
        var lastLeadId = await db.Leads.MaxAsync(l => (int?)l.Id, ct) ?? 0;
        var existing = await ExistingKeys(db, settings.MatchKey).ToListAsync(ct);
        var finder = new DuplicateFinder(settings.MatchKey, settings.Policy, existing.Select(e => (e.Id, e.Value)));
        var defaultStatus = statuses.FirstOrDefault(s => s.IsDefault) ?? statuses.FirstOrDefault();

        var dateColumns = columns.Select((target, index) => (target, index))
            .Where(c => c.target.Standard is StandardField.CaptureDate or StandardField.DateOfBirth
                || (c.target.CustomFieldId is { } id && customFields[id].Type == CustomFieldType.Date))
            .Select(c => c.index).ToArray();
        return new LeadImportPlanner(context, finder, defaultStatus?.Id, dateColumns, lastLeadId);
    }

    public RowPlan Plan(SheetRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        CollectDateTexts(row);
        var parsed = LeadRowReader.Read(row.Cells, Context);
        if (parsed.IsEmpty)
        {
            return new RowPlan(row, RowAction.Empty, parsed);
        }

        if (parsed.HasErrors)
        {
            return new RowPlan(row, RowAction.Error, parsed);
        }

        var keyValue = parsed.Patch.KeyValue(duplicates.Key);
        var decision = duplicates.Decide(keyValue);
        switch (decision.Kind)
        {
            case DuplicateDecisionKind.SkipRepeated:
                return new RowPlan(row, RowAction.SkipRepeated, parsed, FirstRowNumber: decision.FirstRowNumber);
            case DuplicateDecisionKind.SkipExisting:
                return new RowPlan(row, RowAction.SkipExisting, parsed, LeadId: decision.LeadId);
            case DuplicateDecisionKind.Update:
                LeadRowReader.Check(parsed, LeadRowReader.ExistingLeadStandIn(Context.Today), isNewLead: false, Context);
                if (parsed.HasErrors)
                {
                    return new RowPlan(row, RowAction.Error, parsed);
                }

                duplicates.Remember(keyValue, row.RowNumber);
                return new RowPlan(row, RowAction.Update, parsed, LeadId: decision.LeadId);
            default:
                var details = LeadRowReader.Check(parsed, LeadRowReader.NewLeadDefaults(Context.Today), isNewLead: true, Context);
                if (parsed.StatusId is null && parsed.NewStatusName is null && DefaultStatusId is null)
                {
                    parsed.Errors.Add(new RowError(Context.ColumnOf(ImportTarget.For(StandardField.Status)), "status.none", ""));
                }

                if (parsed.HasErrors)
                {
                    return new RowPlan(row, RowAction.Error, parsed);
                }

                duplicates.Remember(keyValue, row.RowNumber);
                return new RowPlan(row, RowAction.Create, parsed, Details: details);
        }
    }

    /// <summary>
    /// The duplicate keys of the CRM's leads: the e-mail keys from their index alone, mobile and tax code in one pass
    /// over the table, which has no index for them (LeadConfiguration says why; QueryPlanTests).
    /// </summary>
    internal static IQueryable<KeyRow> ExistingKeys(CrmDbContext db, DuplicateMatchKey key)
    {
        // Converted leads are students now and no longer part of the CRM list, so they are not matched.
        // The e-mail key is stored already folded as DuplicateKeys.NormalizeEmail folds a file's e-mails.
        var leads = db.Leads.AsNoTracking().Where(l => l.ConvertedAt == null);
        return key switch
        {
            DuplicateMatchKey.Email => leads.Where(l => l.EmailKey != null).Select(l => new KeyRow(l.Id, l.EmailKey)),
            DuplicateMatchKey.Mobile => leads.Where(l => l.Mobile != null).Select(l => new KeyRow(l.Id, l.Mobile)),
            _ => leads.Where(l => l.TaxCode != null).Select(l => new KeyRow(l.Id, l.TaxCode)),
        };
    }

    /// <summary>
    /// The duplicate keys of leads with an id above <paramref name="afterId"/>, converted ones included (the caller
    /// drops them): only the id range is in SQL, so the query reads the primary key from there on, however many
    /// leads the CRM holds.
    /// </summary>
    internal static IQueryable<LateKeyRow> KeysAfter(CrmDbContext db, DuplicateMatchKey key, int afterId)
    {
        var leads = db.Leads.AsNoTracking().Where(l => l.Id > afterId);
        return key switch
        {
            DuplicateMatchKey.Email => leads.Select(l => new LateKeyRow(l.Id, l.EmailKey, l.ConvertedAt != null)),
            DuplicateMatchKey.Mobile => leads.Select(l => new LateKeyRow(l.Id, l.Mobile, l.ConvertedAt != null)),
            _ => leads.Select(l => new LateKeyRow(l.Id, l.TaxCode, l.ConvertedAt != null)),
        };
    }

    private void CollectDateTexts(SheetRow row)
    {
        if (dateTexts.Count >= MaxDateSamples)
        {
            return;
        }

        foreach (var column in dateColumns)
        {
            if (column < row.Cells.Length && row.Cells[column] is string text && !string.IsNullOrWhiteSpace(text))
            {
                dateTexts.Add(text.Trim());
            }
        }
    }

    internal sealed record KeyRow(int Id, string? Value);

    internal sealed record LateKeyRow(int Id, string? Value, bool Converted);
}
