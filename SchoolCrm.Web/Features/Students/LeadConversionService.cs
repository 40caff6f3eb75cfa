using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Students;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Students;

/// <summary>
/// "Convert lead into a student": the lead leaves the CRM list and a student with the same data appears.
/// Operators may convert, like every other daily step on a lead; only removing a lead is for admins.
/// </summary>
public sealed class LeadConversionService(IDbContextFactory<CrmDbContext> dbFactory, CurrentUser currentUser, SchoolClock clock)
{
    /// <summary>The history key both the lead and the student get; the other record's id is the value.</summary>
    public const string ConvertedHistoryField = "Converted";

    /// <summary>
    /// In one transaction: creates the student with every standard field and a copy of every custom value
    /// (archived fields' too, so restoring a field brings them back), hands the lead's comments and history
    /// (and its tasks and events) over to the student, writes "Converted" into both histories and marks the lead converted.
    /// Returns the new student's id.
    /// </summary>
    /// <param name="leadVersion">The version the user saw; a lead changed meanwhile is refused with "stale".</param>
    /// <param name="enrolmentDate">Defaults to today at the school.</param>
    public async Task<int> ConvertAsync(int leadId, Guid? leadVersion = null, DateOnly? enrolmentDate = null, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var lead = await db.Leads.Include(l => l.CustomValues).SingleOrDefaultAsync(l => l.Id == leadId, ct)
            ?? throw new DomainException("stale");
        if (lead.ConvertedAt is not null)
        {
            throw new DomainException("lead.already_converted");
        }

        if (leadVersion is { } seen && seen != lead.Version)
        {
            throw new DomainException("stale");
        }

        var student = Student.ConvertFrom(lead, enrolmentDate ?? clock.Today, actor.UserId, now);
        student.CustomValues.AddRange(lead.CustomValues.Select(v => v.CopyForNewOwner()));
        db.Students.Add(student);
        lead.MarkConverted(actor.UserId, now);
        await SaveAsync(db, leadId, ct);

        // Carried over, not copied: one comment stays one comment (its author, time and "edited" mark intact)
        // and the lead keeps pointing at it, so the story reads the same from either side.
        await db.Comments.Where(c => c.LeadId == leadId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.StudentId, student.Id), ct);
        await db.History.Where(h => h.LeadId == leadId)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.StudentId, student.Id), ct);
        await db.Tasks.Where(t => t.LeadId == leadId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.StudentId, student.Id), ct);
        await db.Events.Where(e => e.LeadId == leadId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.StudentId, student.Id), ct);

        db.History.Add(HistoryEntry.ForLead(leadId, Converted(student.Id), actor.UserId, now));
        db.History.Add(HistoryEntry.ForStudent(student.Id, Converted(leadId), actor.UserId, now));
        await db.SaveChangesAsync(ct);

        await transaction.CommitAsync(ct);
        return student.Id;
    }

    private static FieldChange Converted(int otherId) =>
        new(ConvertedHistoryField, null, otherId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Two users converting the same lead at once: the lead's concurrency token or the unique
    /// ConvertedFromLeadId index stops the second, who is told the lead is already converted. The check runs
    /// on a fresh context because a failed statement may have spoilt this transaction (PostgreSQL aborts it).
    /// </summary>
    private async Task SaveAsync(CrmDbContext db, int leadId, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            var converted = await fresh.Leads.AnyAsync(l => l.Id == leadId && l.ConvertedAt != null, ct)
                || await fresh.Students.AnyAsync(s => s.ConvertedFromLeadId == leadId, ct);
            throw new DomainException(converted ? "lead.already_converted" : "stale");
        }
    }
}
