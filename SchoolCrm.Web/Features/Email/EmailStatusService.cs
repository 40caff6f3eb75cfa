using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Email;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Email;

/// <summary>One e-mail that is not sent (yet), as the admin's e-mail page lists it.</summary>
public sealed record EmailRow(
    long Id, DateTime CreatedAt, string ToAddress, string Subject, EmailStatus Status, int Attempts, DateTime NextAttemptAt, string? LastError);

public sealed record EmailStatusPage(bool IsEnabled, int Waiting, int Failed, int SentLastDay, IReadOnlyList<EmailRow> Rows);

/// <summary>The admin's view of the outbox: what waits, what failed and why; a failed e-mail can be sent again.</summary>
public sealed class EmailStatusService(
    IDbContextFactory<CrmDbContext> dbFactory, CurrentUser currentUser, SchoolClock clock, EmailComposer composer, EmailOutboxWorker worker)
{
    public const int PageSize = 100;

    /// <summary>Failed first, then waiting; newest first within each; at most <see cref="PageSize"/> rows.</summary>
    public async Task<EmailStatusPage> GetAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dayAgo = clock.UtcNow.AddDays(-1);
        var counts = await db.OutgoingEmails.AsNoTracking()
            .GroupBy(e => e.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var sentLastDay = await db.OutgoingEmails.AsNoTracking().CountAsync(e => e.Status == EmailStatus.Sent && e.SentAt >= dayAgo, ct);
        var rows = await db.OutgoingEmails.AsNoTracking()
            .Where(e => e.Status != EmailStatus.Sent)
            .OrderBy(e => e.Status == EmailStatus.Failed ? 0 : 1).ThenByDescending(e => e.Id)
            .Take(PageSize)
            .Select(e => new EmailRow(e.Id, e.CreatedAt, e.ToAddress, e.Subject, e.Status, e.Attempts, e.NextAttemptAt, e.LastError))
            .ToListAsync(ct);
        int Count(EmailStatus status) => counts.Where(c => c.Status == status).Sum(c => c.Count);
        return new EmailStatusPage(composer.IsEnabled, Count(EmailStatus.Waiting) + Count(EmailStatus.Sending), Count(EmailStatus.Failed), sentLastDay, rows);
    }

    /// <summary>Gives a failed e-mail a fresh set of attempts, starting now.</summary>
    /// <exception cref="DomainException"><c>email.not_failed</c> when it is not (or no longer) failed.</exception>
    public async Task RetryAsync(long id, CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = await db.OutgoingEmails.Where(e => e.Id == id && e.Status == EmailStatus.Failed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, EmailStatus.Waiting)
                .SetProperty(e => e.Attempts, 0)
                .SetProperty(e => e.NextAttemptAt, now), ct);
        if (changed == 0)
        {
            throw new DomainException("email.not_failed");
        }

        worker.Wake();
    }
}
