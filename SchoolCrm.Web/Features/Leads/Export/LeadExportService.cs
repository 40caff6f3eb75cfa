using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Filters;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Export;

/// <param name="Key">An <see cref="ImportTarget.Key"/>: the import reads the exported file with the same keys.</param>
public sealed record ExportColumnChoice(string Key, string Label, bool Selected);

/// <summary>
/// "Export to Excel": the chosen columns of the leads the list shows (or of all leads) into an xlsx streamed
/// row by row to a temporary file, then downloaded. Every signed-in user may export, as every operator sees
/// every lead in the list. The choice of columns is remembered per user.
/// </summary>
public sealed class LeadExportService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    ExportFiles files,
    TempFiles tempFiles,
    SchoolClock clock)
{
    public const string ColumnsPreference = "leads.export.columns";

    private const int ReportEveryRows = 1000;

    public async Task<IReadOnlyList<ExportColumnChoice>> GetColumnsAsync(CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customFields = await ActiveCustomFieldsAsync(db, ct);
        var remembered = await db.Set<UserPreference>().AsNoTracking()
            .Where(p => p.UserId == actor.UserId && p.Key == ColumnsPreference).Select(p => p.Value).FirstOrDefaultAsync(ct);
        var chosen = remembered?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var culture = CultureInfo.CurrentUICulture;
        return
        [
            .. ExportFields(customFields).Select(f =>
                new ExportColumnChoice(f.ImportTarget.Key, LeadFieldLabels.For(f, culture), chosen?.Contains(f.ImportTarget.Key) ?? true)),
        ];
    }

    /// <summary>
    /// Writes the file and returns its download token (see <see cref="ExportEndpoints"/>).
    /// </summary>
    /// <param name="filter">What the list shows (status, assignee, search; page, sort and columns do not matter);
    /// null exports all leads.</param>
    /// <param name="progress">Rows written so far, and the total, about every thousand rows.</param>
    public async Task<ExportFile> ExportAsync(IReadOnlyList<string> columnKeys, LeadListQuery? filter, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(columnKeys);
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customFields = (await ActiveCustomFieldsAsync(db, ct)).ToDictionary(f => f.Id);
        var offered = ExportFields(customFields.Values);
        var columns = columnKeys.Select(ImportTarget.Parse).Distinct()
            .Select(t => offered.FirstOrDefault(f => !t.IsIgnored && f.ImportTarget == t)).OfType<LeadField>().ToList();
        if (columns.Count == 0)
        {
            throw new Domain.DomainException("export.no_columns");
        }

        await RememberAsync(db, actor.UserId, columns, ct);
        var saved = filter?.FilterId is { } filterId ? await SavedFilterService.ApplyAsync(db, clock, actor, filterId, ct) : null;
        var leads = Filtered(db, filter, actor.UserId, saved);
        var total = await leads.CountAsync(ct);
        var statuses = await db.LeadStatuses.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Email ?? u.DisplayName, ct);
        var options = customFields.Values.SelectMany(f => f.Options).ToDictionary(o => o.Id, o => o.Label);

        var culture = CultureInfo.CurrentUICulture;
        var sheet = new ExportSheet(columns, customFields, statuses, users, options, culture);
        var customIds = columns.Where(c => c.CustomFieldId is not null).Select(c => c.CustomFieldId!.Value).ToList();

        // The leads and their custom values are read as two streams sorted by lead, on two connections, and
        // merged: memory stays flat however many leads there are.
        await using var valuesDb = await dbFactory.CreateDbContextAsync(ct);
        var leadIds = Filtered(valuesDb, filter, actor.UserId, saved).Select(l => l.Id);
        var values = valuesDb.CustomFieldValues.AsNoTracking()
            .Where(v => v.LeadId != null && customIds.Contains(v.CustomFieldId) && leadIds.Contains(v.LeadId!.Value))
            .OrderBy(v => v.LeadId).ThenBy(v => v.Id);
        var rows = leads.OrderBy(l => l.Id);

        // A failed or cancelled export deletes its half-written file: nothing with personal data stays behind.
        var path = await tempFiles.WriteAsync(
            ".xlsx",
            (output, c) => Task.Run(
                () =>
                {
                    var written = 0;
                    var lines = sheet.Lines(rows, customIds.Count == 0 ? [] : values, () =>
                    {
                        c.ThrowIfCancellationRequested();
                        if (++written % ReportEveryRows == 0)
                        {
                            progress?.Report((written, total));
                        }
                    });
                    output.SaveAs(lines, configuration: sheet.Configuration());
                    progress?.Report((total, total));

                    // Cancelled after the last row but before the file is handed out: it is not handed out.
                    c.ThrowIfCancellationRequested();
                },
                c),
            ct);

        var file = new ExportFile(
            Guid.NewGuid(),
            path,
            "leads-" + clock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".xlsx",
            actor.UserId,
            total,
            clock.UtcNow);
        await files.AddAsync(file, CancellationToken.None);
        return file;
    }

    // The same composition the list uses, so the file has exactly the leads the list shows.
    private static IQueryable<Lead> Filtered(CrmDbContext db, LeadListQuery? filter, string userId, AppliedFilter? saved)
    {
        var leads = db.Leads.AsNoTracking();
        return filter is null ? leads.InCrm() : LeadQueries.Apply(leads, filter, userId, saved?.Where);
    }

    // The catalogue's exportable fields and the active custom fields, in that order. A column's key is its import
    // target's, so the import reads the exported file back column by column.
    private static List<LeadField> ExportFields(IEnumerable<CustomField> customFields) =>
    [
        .. LeadFields.Exportable,
        .. customFields.Select(f => LeadFields.ForCustomField(f.Id, f.Name, f.Type)),
    ];

    private static async Task RememberAsync(CrmDbContext db, string userId, List<LeadField> columns, CancellationToken ct)
    {
        var value = string.Join(',', columns.Select(c => c.ImportTarget.Key));
        var preference = await db.Set<UserPreference>().SingleOrDefaultAsync(p => p.UserId == userId && p.Key == ColumnsPreference, ct);
        if (preference is null)
        {
            db.Add(new UserPreference { UserId = userId, Key = ColumnsPreference, Value = value });
        }
        else
        {
            preference.Value = value;
        }

        await db.SaveChangesAsync(ct);
    }

    private static async Task<List<CustomField>> ActiveCustomFieldsAsync(CrmDbContext db, CancellationToken ct) =>
        await db.CustomFields.AsNoTracking().Include(f => f.Options)
            .Where(f => !f.IsArchived).OrderBy(f => f.SortOrder).ThenBy(f => f.Id).ToListAsync(ct);
}

/// <summary>Turns lead rows into the sheet's cells: real dates, localized yes/no, formula-safe text.</summary>
internal sealed class ExportSheet(
    IReadOnlyList<LeadField> columns,
    IReadOnlyDictionary<int, CustomField> customFields,
    IReadOnlyDictionary<int, string> statuses,
    IReadOnlyDictionary<string, string> users,
    IReadOnlyDictionary<int, string> options,
    CultureInfo culture)
{
    public OpenXmlConfiguration Configuration()
    {
        var dateFormat = ExcelDateFormat(culture);
        var dynamic = columns.Select((c, i) => new DynamicExcelColumn(Key(i))
        {
            Name = LeadFieldLabels.For(c, culture),
            Format = c.Type == LeadFieldType.Date ? dateFormat : null,
        });
        // FastMode would build the whole file in memory (a zip in update mode); without it the sheet streams out.
        return new OpenXmlConfiguration { DynamicColumns = [.. dynamic], FastMode = false };
    }

    /// <summary>
    /// The culture's short date as an Excel number format, so the user reads dates as in the app (25/12/2001 for
    /// en-GB and it-IT, 25.12.2001 for de-DE); the cell stays a real date whatever it shows.
    /// </summary>
    public static string ExcelDateFormat(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var pattern = culture.DateTimeFormat.ShortDatePattern;
        // Excel writes the month as "m" in a date; anything beyond digits and plain separators (quoted text, eras)
        // gets the unambiguous ISO form instead.
        return pattern.All(c => c is 'd' or 'M' or 'y' or '.' or '/' or '-' or ' ')
            ? pattern.Replace('M', 'm')
            : "yyyy-mm-dd";
    }

    /// <summary>Merges the sorted lead stream with the sorted custom value stream into sheet rows.</summary>
    public IEnumerable<Dictionary<string, object?>> Lines(IEnumerable<Lead> leads, IEnumerable<CustomFieldValue> values, Action onRow)
    {
        using var value = values.GetEnumerator();
        var hasValue = value.MoveNext();
        var own = new List<CustomFieldValue>();
        var any = false;
        foreach (var lead in leads)
        {
            any = true;
            own.Clear();
            while (hasValue && value.Current.LeadId < lead.Id)
            {
                hasValue = value.MoveNext();
            }

            while (hasValue && value.Current.LeadId == lead.Id)
            {
                own.Add(value.Current);
                hasValue = value.MoveNext();
            }

            var line = new Dictionary<string, object?>(columns.Count);
            for (int i = 0; i < columns.Count; i++)
            {
                line[Key(i)] = columns[i].CustomFieldId is { } fieldId ? Custom(fieldId, own) : Standard(lead, columns[i]);
            }

            onRow();
            yield return line;
        }

        // MiniExcel takes the columns from the first row: an export of no leads still gets its header.
        if (!any)
        {
            yield return Enumerable.Range(0, columns.Count).ToDictionary(Key, _ => (object?)null);
        }
    }

    // A standard field's value as the catalogue reads it, written as its type wants.
    private object? Standard(Lead lead, LeadField field)
    {
        var value = field.ReadFrom(lead);
        return field.Type switch
        {
            LeadFieldType.Date => ((DateOnly?)value)?.ToDateTime(TimeOnly.MinValue),
            LeadFieldType.Gender => value is Gender gender and not Gender.NotGiven ? LeadColumnLabels.Gender(gender, culture) : null,
            LeadFieldType.Checkbox => value is bool flag ? LeadColumnLabels.YesNo(flag, culture) : null,
            LeadFieldType.Status => value is int id ? Safe(statuses.GetValueOrDefault(id)) : null,
            LeadFieldType.User => value is string id ? Safe(users.GetValueOrDefault(id)) : null,
            _ => value is string text ? Safe(text) : value,
        };
    }

    private object? Custom(int fieldId, List<CustomFieldValue> values)
    {
        var field = customFields[fieldId];
        var mine = values.Where(v => v.CustomFieldId == fieldId).ToList();
        if (mine.Count == 0)
        {
            return null;
        }

        var first = mine[0];
        return field.Type switch
        {
            CustomFieldType.Number => first.NumberValue,
            CustomFieldType.Date => first.DateValue?.ToDateTime(TimeOnly.MinValue),
            CustomFieldType.Checkbox => first.BoolValue is { } flag ? LeadColumnLabels.YesNo(flag, culture) : null,
            CustomFieldType.SingleChoice or CustomFieldType.MultipleChoice => Safe(string.Join(
                LeadRowReader.ChoiceSeparator + " ",
                mine.Select(v => v.OptionId is { } id ? options.GetValueOrDefault(id) : null).OfType<string>())),
            _ => Safe(first.TextValue),
        };
    }

    private static string? Safe(string? text) => text is null ? null : FormulaSafety.Protect(text);

    private static string Key(int column) => "c" + column.ToString(CultureInfo.InvariantCulture);
}
