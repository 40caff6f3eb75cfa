using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Email;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Notifications;

/// <summary>
/// Notifies one user about a task in two steps: <see cref="AddAboutTaskAsync"/> adds the stored notification to the
/// caller's context, so it is saved in the same transaction as the change it reports (a failed save notifies
/// nobody; a reminder's claim and its notification commit together, once); after the commit,
/// <see cref="SignalAsync"/> tells every open tab of the user through the hub, with a popup when the user wants
/// popups for that kind. A failed signal loses nothing: the tab reads what it missed at its next (re)connect.
/// When the user wants e-mail for the kind (never for <see cref="NotificationKind.TaskUnassigned"/>), SMTP is set up and
/// the user has an address, the e-mail goes into the outbox in that same transaction; the outbox worker sends it.
/// </summary>
public sealed class NotificationSender(
    IHubContext<NotificationHub> hub, SchoolClock clock, EmailComposer email, EmailOutboxWorker outbox, ILogger<NotificationSender> logger)
{
    /// <summary>
    /// Adds a notification for <paramref name="recipientUserId"/> about <paramref name="task"/> to <paramref name="db"/>
    /// (not saved). Null when the recipient is disabled or unknown: they get nothing.
    /// </summary>
    public async Task<PendingSignal?> AddAboutTaskAsync(
        CrmDbContext db, string recipientUserId, NotificationKind kind, CrmTask task, DateTime? dueUtc = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(task);
        var recipient = await db.Users.AsNoTracking().Where(u => u.Id == recipientUserId && !u.IsDisabled)
            .Select(u => new { u.AssignmentDelivery, u.ReminderDelivery, u.Email, u.DisplayName, u.Culture })
            .FirstOrDefaultAsync(ct);
        if (recipient is null)
        {
            return null;
        }

        var typeName = await db.TaskTypes.AsNoTracking().Where(y => y.Id == task.TaskTypeId).Select(y => y.Name).FirstOrDefaultAsync(ct);
        var lead = task.LeadId is { } leadId
            ? await db.Leads.AsNoTracking().Where(l => l.Id == leadId).Select(l => new { l.FirstName, l.LastName }).FirstOrDefaultAsync(ct)
            : null;
        var leadName = lead is null ? null : PersonRules.FullName(lead.FirstName, lead.LastName);
        var notification = Notification.ForTask(recipientUserId, kind, task.Id, task.Title, typeName, leadName, task.DeadlineUtc, clock.UtcNow, dueUtc);
        db.Notifications.Add(notification);

        var delivery = kind == NotificationKind.TaskReminder ? recipient.ReminderDelivery : recipient.AssignmentDelivery;
        var popup = kind != NotificationKind.TaskUnassigned && delivery.HasFlag(NotificationDelivery.Popup);
        var mail = kind != NotificationKind.TaskUnassigned && delivery.HasFlag(NotificationDelivery.Email)
            && email.IsEnabled && !string.IsNullOrWhiteSpace(recipient.Email);
        if (mail)
        {
            db.OutgoingEmails.Add(email.Compose(notification, new EmailRecipient(recipient.Email!, recipient.DisplayName, recipient.Culture)));
        }

        return new PendingSignal(notification, popup, mail);
    }

    /// <summary>After the commit: tells the recipient's open tabs. Never throws for a failed signal.</summary>
    public async Task SignalAsync(PendingSignal? pending, CancellationToken ct = default)
    {
        if (pending is null)
        {
            return;
        }

        if (pending.Email)
        {
            // Committed: the worker may send it now (it would find it at its next poll anyway).
            outbox.Wake();
        }

        var notification = pending.Notification;
        try
        {
            await hub.Clients.User(notification.UserId)
                .SendAsync(NotificationHub.ReceiveMethod, new NotificationSignal(notification.Id, pending.Popup), ct);
            logger.LogInformation("Notification {NotificationId} ({Kind}) signalled to {UserId}", notification.Id, notification.Kind, notification.UserId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Notification {NotificationId} is stored, but the signal to {UserId} failed", notification.Id, notification.UserId);
        }
    }
}

/// <summary>A notification added to a context, to be signalled once that context's transaction has committed.</summary>
/// <param name="Email">An e-mail was put in the outbox as well.</param>
public sealed record PendingSignal(Notification Notification, bool Popup, bool Email = false);
