using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.CustomFields;

/// <summary>
/// The admin screen for the custom fields leads and students share. Every change is for admins only;
/// <see cref="ListActiveAsync"/> is what the rest of the app reads.
/// </summary>
public sealed class CustomFieldService(IDbContextFactory<CrmDbContext> dbFactory, CurrentUser currentUser)
{
    /// <summary>
    /// The active fields in their order, with their options in order. Field definitions are not secret and
    /// callers (lead form, grid, Excel, demo seeding) may run without a signed-in user, so no check here.
    /// </summary>
    public async Task<IReadOnlyList<CustomFieldDefinition>> ListActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // A school has a handful of fields: loading them all and dropping the archived ones keeps one projection.
        return [.. (await CustomValueStore.LoadFieldsAsync(db, ct)).Where(f => !f.IsArchived)];
    }

    public async Task<IReadOnlyList<CustomFieldAdminItem>> ListAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // COUNT(DISTINCT ...) per owner column: a multiple-choice field has a row per chosen option,
        // but the admin wants to know how many people would lose their value.
        var usage = await db.CustomFieldValues.AsNoTracking()
            .GroupBy(v => v.CustomFieldId)
            .Select(g => new
            {
                FieldId = g.Key,
                Leads = g.Where(v => v.LeadId != null).Select(v => v.LeadId).Distinct().Count(),
                Students = g.Where(v => v.StudentId != null).Select(v => v.StudentId).Distinct().Count(),
            })
            .ToDictionaryAsync(u => u.FieldId, u => new ValueUsage(u.Leads, u.Students), ct);
        var optionCounts = await db.CustomFieldValues.AsNoTracking()
            .Where(v => v.OptionId != null)
            .GroupBy(v => v.OptionId!.Value)
            .Select(g => new { OptionId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.OptionId, c => c.Count, ct);

        var fields = await db.CustomFields.AsNoTracking()
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
            .Select(f => new
            {
                f.Id,
                f.Name,
                f.Type,
                f.IsRequired,
                f.IsArchived,
                Options = f.Options.OrderBy(o => o.SortOrder).ThenBy(o => o.Id).Select(o => new { o.Id, o.Label }).ToList(),
            })
            .ToListAsync(ct);

        return [.. fields.Select(f => new CustomFieldAdminItem(
            f.Id,
            f.Name,
            f.Type,
            f.IsRequired,
            f.IsArchived,
            usage.GetValueOrDefault(f.Id, new ValueUsage(0, 0)),
            [.. f.Options.Select(o => new CustomFieldAdminOption(o.Id, o.Label, optionCounts.GetValueOrDefault(o.Id)))]))];
    }

    public async Task<int> CreateAsync(NewCustomField input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var nextOrder = await db.CustomFields.MaxAsync(f => (int?)f.SortOrder, ct) ?? -1;
        var field = new CustomField(input.Name, input.Type, nextOrder + 1, input.IsRequired);
        if (field.HasOptions)
        {
            foreach (var label in input.Options.Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                field.AddOption(label);
            }

            if (field.Options.Count == 0)
            {
                throw new DomainException("customfield.options.required", nameof(NewCustomField.Options));
            }
        }

        await EnsureNameFreeAsync(db, field.NormalizedName, null, ct);
        db.CustomFields.Add(field);
        await SaveNamedAsync(db, field.NormalizedName, field.Id, ct);
        return field.Id;
    }

    /// <summary>Only the name changes; values hang on the field's id and stay.</summary>
    public async Task RenameAsync(int fieldId, string name, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await FindAsync(db, fieldId, ct);
        field.Rename(name);
        await EnsureNameFreeAsync(db, field.NormalizedName, field.Id, ct);
        await SaveNamedAsync(db, field.NormalizedName, field.Id, ct);
    }

    public Task SetRequiredAsync(int fieldId, bool isRequired, CancellationToken ct = default) =>
        ChangeAsync(fieldId, f => f.SetRequired(isRequired), ct);

    /// <summary>Hidden from forms, lists and the Excel template; values are kept and come back on restore.</summary>
    public Task ArchiveAsync(int fieldId, CancellationToken ct = default) => ChangeAsync(fieldId, f => f.Archive(), ct);

    public Task RestoreAsync(int fieldId, CancellationToken ct = default) => ChangeAsync(fieldId, f => f.Restore(), ct);

    /// <summary>Moves the field one place up (-1) or down (+1) among all fields, archived ones included.</summary>
    public async Task MoveAsync(int fieldId, int offset, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await db.CustomFields.OrderBy(f => f.SortOrder).ThenBy(f => f.Id).ToListAsync(ct);
        Reorder(fields, f => f.Id == fieldId, offset, (f, order) => f.MoveTo(order));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>What <see cref="DeleteAsync"/> would remove, for the confirmation the admin reads first.</summary>
    public async Task<ValueUsage> CountValuesAsync(int fieldId, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await UsageAsync(db, fieldId, ct);
    }

    /// <summary>Deletes the field, its options and every value of it; returns what went.</summary>
    public async Task<ValueUsage> DeleteAsync(int fieldId, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var field = await FindAsync(db, fieldId, ct);
        var usage = await UsageAsync(db, fieldId, ct);

        // The database cascades to options and values, so the values need not be loaded.
        db.CustomFields.Remove(field);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return usage;
    }

    public async Task<int> AddOptionAsync(int fieldId, string label, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await FindAsync(db, fieldId, ct);
        var option = field.AddOption(label);
        await db.SaveChangesAsync(ct);
        return option.Id;
    }

    public Task RenameOptionAsync(int fieldId, int optionId, string label, CancellationToken ct = default) =>
        ChangeAsync(fieldId, f => f.RenameOption(FindOption(f, optionId), label), ct);

    public async Task MoveOptionAsync(int fieldId, int optionId, int offset, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await FindAsync(db, fieldId, ct);
        var ordered = field.Options.OrderBy(o => o.SortOrder).ThenBy(o => o.Id).ToList();
        Reorder(ordered, o => o.Id == optionId, offset, (o, order) => o.MoveTo(order));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How many leads and students chose the option, for the confirmation before removing it.</summary>
    public async Task<int> CountOptionValuesAsync(int optionId, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CustomFieldValues.CountAsync(v => v.OptionId == optionId, ct);
    }

    /// <summary>Removes the option and the values that chose it; returns how many values went.</summary>
    public async Task<int> RemoveOptionAsync(int fieldId, int optionId, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var field = await FindAsync(db, fieldId, ct);
        var count = await db.CustomFieldValues.CountAsync(v => v.OptionId == optionId, ct);
        field.RemoveOption(FindOption(field, optionId));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return count;
    }

    private async Task ChangeAsync(int fieldId, Action<CustomField> change, CancellationToken ct)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await FindAsync(db, fieldId, ct);
        change(field);
        await db.SaveChangesAsync(ct);
    }

    private static async Task<CustomField> FindAsync(CrmDbContext db, int fieldId, CancellationToken ct) =>
        await db.CustomFields.Include(f => f.Options).SingleOrDefaultAsync(f => f.Id == fieldId, ct)
        ?? throw new DomainException("stale");

    private static CustomFieldOption FindOption(CustomField field, int optionId) =>
        field.Options.SingleOrDefault(o => o.Id == optionId) ?? throw new DomainException("stale");

    private static async Task<ValueUsage> UsageAsync(CrmDbContext db, int fieldId, CancellationToken ct)
    {
        var values = db.CustomFieldValues.Where(v => v.CustomFieldId == fieldId);
        var leads = await values.Where(v => v.LeadId != null).Select(v => v.LeadId).Distinct().CountAsync(ct);
        var students = await values.Where(v => v.StudentId != null).Select(v => v.StudentId).Distinct().CountAsync(ct);
        return new ValueUsage(leads, students);
    }

    private static async Task EnsureNameFreeAsync(CrmDbContext db, string normalizedName, int? exceptId, CancellationToken ct)
    {
        if (await db.CustomFields.AnyAsync(f => f.NormalizedName == normalizedName && f.Id != exceptId, ct))
        {
            throw new DomainException("name.duplicate", nameof(CustomField.Name));
        }
    }

    /// <summary>Saves; when another admin took the name in the meantime the unique index says so.</summary>
    private static async Task SaveNamedAsync(CrmDbContext db, string normalizedName, int fieldId, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.CustomFields.AnyAsync(f => f.NormalizedName == normalizedName && f.Id != fieldId, ct))
            {
                throw new DomainException("name.duplicate", nameof(CustomField.Name));
            }

            throw;
        }
    }

    /// <summary>Moves the matching item by offset places (clamped to the ends) and numbers all items 0, 1, 2...</summary>
    private static void Reorder<T>(List<T> items, Func<T, bool> isMoved, int offset, Action<T, int> setOrder)
    {
        var index = items.FindIndex(i => isMoved(i));
        if (index < 0)
        {
            throw new DomainException("stale");
        }

        var item = items[index];
        items.RemoveAt(index);
        items.Insert(Math.Clamp(index + offset, 0, items.Count), item);
        for (var i = 0; i < items.Count; i++)
        {
            setOrder(items[i], i);
        }
    }
}
