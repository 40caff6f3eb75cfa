using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Records;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>
/// Everything about one lead: create, edit (with the version as concurrency token), quick edits, removal,
/// comments and history. Operators and admins work on leads and comments; only admins remove leads.
/// </summary>
public sealed class LeadService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    UserService users,
    SchoolClock clock,
    ILogger<LeadService> logger)
{
    public const string CreatedEvent = "Created";

    public async Task<LeadFormOptions> GetFormOptionsAsync(CancellationToken ct = default)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var statuses = await db.LeadStatuses.AsNoTracking()
            .OrderBy(s => s.SortOrder).ThenBy(s => s.Name)
            .Select(s => new StatusOption(s.Id, s.Name, s.Color, s.IsDefault))
            .ToListAsync(ct);
        var assignees = await users.ListAssignableAsync(ct);
        var fields = await CustomValueStore.LoadFieldsAsync(db, ct);
        return new LeadFormOptions(statuses, assignees, [.. fields.Where(f => !f.IsArchived)], clock.Today);
    }

    public async Task<LeadDetails?> GetAsync(int id, CancellationToken ct = default)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Leads.AsNoTracking()
            .Where(l => l.Id == id)
            .Select(l => new
            {
                Person = new PersonDetails
                {
                    CompanyName = l.CompanyName,
                    FirstName = l.FirstName,
                    LastName = l.LastName,
                    CaptureDate = l.CaptureDate,
                    Email = l.Email,
                    TaxCode = l.TaxCode,
                    Address = l.Address,
                    City = l.City,
                    Zip = l.Zip,
                    Province = l.Province,
                    Phone = l.Phone,
                    Mobile = l.Mobile,
                    Gender = l.Gender,
                    DateOfBirth = l.DateOfBirth,
                    PrivacyConsent = l.PrivacyConsent,
                    Notes = l.Notes,
                },
                l.PrivacyConsentAt,
                l.StatusId,
                Status = db.LeadStatuses.Where(s => s.Id == l.StatusId).Select(s => new { s.Name, s.Color }).FirstOrDefault(),
                l.AssignedToUserId,
                AssignedToName = db.Users.Where(u => u.Id == l.AssignedToUserId).Select(u => u.DisplayName).FirstOrDefault(),
                l.CreatedAt,
                CreatedByName = db.Users.Where(u => u.Id == l.CreatedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
                l.UpdatedAt,
                UpdatedByName = db.Users.Where(u => u.Id == l.UpdatedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
                l.ConvertedAt,
                l.Version,
            })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var fields = await CustomValueStore.LoadFieldsAsync(db, ct);
        var values = await CustomValueStore.LoadInputsAsync(db.CustomFieldValues.Where(v => v.LeadId == id), ct);
        return new LeadDetails(
            id,
            row.Person,
            row.PrivacyConsentAt,
            row.StatusId,
            row.Status?.Name ?? "",
            row.Status?.Color ?? Domain.Configuration.LeadStatus.DefaultColor,
            row.AssignedToUserId,
            row.AssignedToName,
            row.CreatedAt,
            row.CreatedByName ?? "",
            row.UpdatedAt,
            row.UpdatedByName ?? "",
            row.ConvertedAt is not null,
            row.Version,
            [.. fields.Where(f => !f.IsArchived)],
            values);
    }

    /// <summary>Creates a lead; bad input throws <see cref="FieldErrorsException"/> with every field message.</summary>
    public async Task<int> CreateAsync(
        PersonDetails details,
        int statusId,
        string? assigneeId,
        IReadOnlyList<CustomValueInput> customValues,
        CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (cleaned, customCheck) = await CheckInputAsync(db, details, customValues, ct);
        await EnsureStatusExistsAsync(db, statusId, ct);
        if (assigneeId is not null)
        {
            await EnsureAssignableAsync(db, assigneeId, ct);
        }

        var now = clock.UtcNow;
        var lead = Lead.Create(cleaned, statusId, assigneeId, actor.UserId, now);
        lead.SetCustomValues(customCheck, actor.UserId, now);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Leads.Add(lead);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The status was deleted since the check above (the database's foreign key refused the lead).
            await transaction.RollbackAsync(ct);
            await ThrowIfStatusGoneAsync(db, statusId, ct);
            throw;
        }

        db.History.Add(HistoryEntry.ForLead(lead.Id, new FieldChange(CreatedEvent, null, null), actor.UserId, now));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Lead {LeadId} created by {UserId}", lead.Id, actor.UserId);
        return lead.Id;
    }

    /// <summary>
    /// Saves the full form. <paramref name="version"/> is the one the form was loaded with: when someone saved
    /// in between, nothing is written and "lead.conflict" is thrown. Returns the new version.
    /// </summary>
    public async Task<Guid> UpdateAsync(
        int id,
        Guid version,
        PersonDetails details,
        int statusId,
        string? assigneeId,
        IReadOnlyList<CustomValueInput> customValues,
        CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (cleaned, customCheck) = await CheckInputAsync(db, details, customValues, ct);
        var lead = await LoadForChangeAsync(db, id, version, ct);
        if (statusId != lead.StatusId)
        {
            await EnsureStatusExistsAsync(db, statusId, ct);
        }

        // Keeping a lead with an operator who was disabled meanwhile is fine; choosing one is not.
        if (assigneeId is not null && assigneeId != lead.AssignedToUserId)
        {
            await EnsureAssignableAsync(db, assigneeId, ct);
        }

        var now = clock.UtcNow;
        var changes = new List<FieldChange>(lead.Update(cleaned, actor.UserId, now));
        AddIfChanged(changes, lead.ChangeStatus(statusId, actor.UserId, now));
        AddIfChanged(changes, lead.AssignTo(assigneeId, actor.UserId, now));
        var custom = lead.SetCustomValues(customCheck, actor.UserId, now);
        db.CustomFieldValues.RemoveRange(custom.Removed);
        changes.AddRange(custom.Changes);
        await SaveWithHistoryAsync(db, lead, changes, actor, now, ct);

        // Unchanged input writes nothing, and the version stays the one the form has.
        return lead.Version;
    }

    public async Task ChangeStatusAsync(int id, int statusId, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = await LoadForChangeAsync(db, id, expectedVersion: null, ct);
        await EnsureStatusExistsAsync(db, statusId, ct);
        var now = clock.UtcNow;
        await SaveWithHistoryAsync(db, lead, Changes(lead.ChangeStatus(statusId, actor.UserId, now)), actor, now, ct);
    }

    /// <summary>Assigns the lead to an active user, or to nobody with null.</summary>
    public async Task AssignAsync(int id, string? userId, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = await LoadForChangeAsync(db, id, expectedVersion: null, ct);
        if (userId is not null)
        {
            await EnsureAssignableAsync(db, userId, ct);
        }

        var now = clock.UtcNow;
        await SaveWithHistoryAsync(db, lead, Changes(lead.AssignTo(userId, actor.UserId, now)), actor, now, ct);
    }

    /// <summary>The lead page's quick edit of a checkbox custom field.</summary>
    public async Task SetCheckboxAsync(int id, int fieldId, bool value, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fields = await CustomValueStore.LoadFieldsAsync(db, ct);
        var field = fields.FirstOrDefault(f => f.Id == fieldId && !f.IsArchived && f.Type == CustomFieldType.Checkbox)
            ?? throw new DomainException("customfield.missing", CustomValueRules.FieldKey(fieldId));
        var lead = await LoadForChangeAsync(db, id, expectedVersion: null, ct);
        var (rows, _) = CustomValueRules.CheckField(field, CustomValueInput.OfCheckbox(fieldId, value));
        var now = clock.UtcNow;
        var custom = lead.SetCustomValues(new CustomValuesCheck([fieldId], rows, []), actor.UserId, now);
        db.CustomFieldValues.RemoveRange(custom.Removed);
        await SaveWithHistoryAsync(db, lead, [.. custom.Changes], actor, now, ct);
    }

    /// <summary>What the removal dialog tells goes with the lead besides comments and history: its tasks and events.</summary>
    public async Task<LeadRemovalCounts> CountRemovedWithLeadAsync(int id, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tasks = await db.Tasks.CountAsync(t => t.LeadId == id, ct);
        var events = await db.Events.CountAsync(e => e.LeadId == id, ct);
        return new LeadRemovalCounts(tasks, events);
    }

    /// <summary>Removes a lead with its values, comments, history, tasks and events. Admins only; a converted lead stays.</summary>
    public async Task DeleteAsync(int id, CancellationToken ct = default)
    {
        var actor = await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.Leads.Where(l => l.Id == id).Select(l => new { l.ConvertedAt }).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("lead.not_found");
        if (state.ConvertedAt is not null)
        {
            throw new DomainException("lead.already_converted");
        }

        // The database cascades to values, comments, history, tasks and events.
        await db.Leads.Where(l => l.Id == id && l.ConvertedAt == null).ExecuteDeleteAsync(ct);
        logger.LogInformation("Lead {LeadId} removed by {UserId}", id, actor.UserId);
    }

    public async Task<int> AddCommentAsync(int leadId, string text, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.Leads.Where(l => l.Id == leadId).Select(l => new { l.ConvertedAt }).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("lead.not_found");
        if (state.ConvertedAt is not null)
        {
            throw new DomainException("lead.already_converted");
        }

        var comment = Comment.OnLead(leadId, actor.UserId, text, clock.UtcNow);
        db.Comments.Add(comment);
        await db.SaveChangesAsync(ct);
        return comment.Id;
    }

    /// <summary>Its author may edit a comment, an admin any comment; the comment is marked edited.</summary>
    public async Task EditCommentAsync(int commentId, string text, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == commentId, ct)
            ?? throw new DomainException("comment.not_found");
        comment.Edit(text, actor.UserId, actor.IsAdmin, clock.UtcNow);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Newest first, with the author's name and whether the current user may edit each.</summary>
    public async Task<IReadOnlyList<CommentItem>> ListCommentsAsync(int leadId, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RecordQueries.CommentsAsync(db, db.Comments.Where(c => c.LeadId == leadId), actor, ct);
    }

    /// <summary>
    /// Newest first, with the user's name. Status, assignee and option values are turned into today's names
    /// here, so renaming a status shows the new name and nothing but ids is stored.
    /// </summary>
    public async Task<IReadOnlyList<HistoryItem>> GetHistoryAsync(int leadId, CancellationToken ct = default)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RecordQueries.HistoryAsync(db, db.History.Where(h => h.LeadId == leadId), ct);
    }

    private async Task<(PersonDetails Cleaned, CustomValuesCheck Custom)> CheckInputAsync(
        CrmDbContext db, PersonDetails details, IReadOnlyList<CustomValueInput> customValues, CancellationToken ct)
    {
        var personCheck = PersonRules.Check(details, clock.Today);
        var fields = await CustomValueStore.LoadFieldsAsync(db, ct);
        var customCheck = CustomValueRules.Check(fields, customValues);
        var errors = personCheck.Errors.Concat(customCheck.Errors).ToList();
        if (errors.Count > 0)
        {
            throw new FieldErrorsException(errors);
        }

        return (personCheck.Cleaned, customCheck);
    }

    /// <summary>Loads the lead tracked with its values; with a version, refuses when the lead moved on.</summary>
    private static async Task<Lead> LoadForChangeAsync(CrmDbContext db, int id, Guid? expectedVersion, CancellationToken ct)
    {
        var lead = await db.Leads.Include(l => l.CustomValues).FirstOrDefaultAsync(l => l.Id == id, ct)
            ?? throw new DomainException("lead.not_found");
        if (expectedVersion is { } version && lead.Version != version)
        {
            throw new DomainException("lead.conflict");
        }

        return lead;
    }

    private static async Task EnsureStatusExistsAsync(CrmDbContext db, int statusId, CancellationToken ct)
    {
        if (!await db.LeadStatuses.AnyAsync(s => s.Id == statusId, ct))
        {
            throw new DomainException("lead.status_missing", nameof(Lead.StatusId));
        }
    }

    private static async Task EnsureAssignableAsync(CrmDbContext db, string userId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId && !u.IsDisabled, ct))
        {
            throw new DomainException("lead.assignee_missing", nameof(Lead.AssignedToUserId));
        }
    }

    private static List<FieldChange> Changes(FieldChange? change) => change is null ? [] : [change];

    private static void AddIfChanged(List<FieldChange> changes, FieldChange? change)
    {
        if (change is not null)
        {
            changes.Add(change);
        }
    }

    /// <summary>
    /// Writes the history lines and the lead in one save. The version read with the lead is the concurrency
    /// token, so a save that raced another one fails here instead of overwriting it.
    /// </summary>
    private async Task SaveWithHistoryAsync(CrmDbContext db, Lead lead, List<FieldChange> changes, Actor actor, DateTime now, CancellationToken ct)
    {
        if (changes.Count == 0)
        {
            return;
        }

        db.History.AddRange(changes.Select(c => HistoryEntry.ForLead(lead.Id, c, actor.UserId, now)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Lead {LeadId}: a save by {UserId} lost the race against another one", lead.Id, actor.UserId);
            throw new DomainException("lead.conflict");
        }
        catch (DbUpdateException)
        {
            await ThrowIfStatusGoneAsync(db, lead.StatusId, ct);
            throw;
        }
    }

    /// <summary>
    /// After the database refused a save: when the lead's status was deleted after the service checked it (an admin
    /// deleted it at the same moment), the user reads the same message as if it had been gone before.
    /// </summary>
    private static async Task ThrowIfStatusGoneAsync(CrmDbContext db, int statusId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await EnsureStatusExistsAsync(db, statusId, ct);
    }
}
