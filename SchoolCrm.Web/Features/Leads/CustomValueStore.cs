using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>
/// Loading custom field definitions and a record's values, shared by the lead and student services
/// (their owners differ only in the foreign key the rows carry).
/// </summary>
public static class CustomValueStore
{
    /// <summary>Every field, archived ones too (the rules need them to keep their values), in display order.</summary>
    public static async Task<IReadOnlyList<CustomFieldDefinition>> LoadFieldsAsync(CrmDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.CustomFields.AsNoTracking()
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
            .Select(f => new CustomFieldDefinition(
                f.Id,
                f.Name,
                f.Type,
                f.IsRequired,
                f.IsArchived,
                f.Options.OrderBy(o => o.SortOrder).ThenBy(o => o.Id).Select(o => new CustomFieldOptionDefinition(o.Id, o.Label)).ToList()))
            .ToListAsync(ct);
    }

    /// <summary>The rows of one record (filtered by the caller) as form inputs, one per field that has a value.</summary>
    public static async Task<IReadOnlyDictionary<int, CustomValueInput>> LoadInputsAsync(IQueryable<CustomFieldValue> rows, CancellationToken ct = default)
    {
        var list = await rows.AsNoTracking().ToListAsync(ct);
        return list.GroupBy(r => r.CustomFieldId).ToDictionary(g => g.Key, g => CustomValueInput.FromRows(g.Key, g));
    }
}
