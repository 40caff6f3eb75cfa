using System.Threading.Channels;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SchoolCrm.Domain.Email;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Email;

/// <summary>
/// Sends the outbox. Each due e-mail is first claimed with one conditional update (its attempt count is the version:
/// of two app instances that read the same row, exactly one update matches), then sent over one SMTP connection per
/// batch. A failed attempt waits (<see cref="EmailRetry"/>) and is tried again, up to <see cref="SmtpOptions.MaxAttempts"/>
/// attempts; then it is failed and shown on the admin's e-mail page. A claim whose instance died while sending expires
/// after <see cref="Lease"/> and the e-mail goes out from whoever claims it next: at least once, never lost.
/// Nothing here runs inside a request: the worker wakes when an e-mail was stored (<see cref="Wake"/>), when the next
/// retry is due and every <see cref="PollEvery"/> (e-mails stored by another instance).
/// </summary>
public sealed class EmailOutboxWorker(
    IDbContextFactory<CrmDbContext> dbFactory,
    IOptions<SmtpOptions> options,
    TimeProvider time,
    ILogger<EmailOutboxWorker> logger) : BackgroundService
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(30);

    /// <summary>Longer than a batch can take (each command times out), so a live claim never expires under its sender.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Sent e-mails carry names and task text: they are deleted after this long.</summary>
    public static readonly TimeSpan KeepSent = TimeSpan.FromDays(30);

    private const int BatchSize = 20;

    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>This instance's name in <see cref="OutgoingEmail.ClaimedBy"/>.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Asks the worker to look at the outbox now (after an e-mail was committed). Never blocks.</summary>
    public void Wake() => wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsEnabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var until = time.GetUtcNow() + PollEvery;
                try
                {
                    await SendDueAsync(stoppingToken);
                    until = await NextTurnAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database was busy or away: the outbox is still there at the next turn.
                    logger.LogWarning(ex, "The e-mail outbox could not be read; trying again in {Seconds} s", PollEvery.TotalSeconds);
                }

                await WaitAsync(until, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Claims and sends what is due now, batch after batch, until nothing is due. Returns how many were sent.
    /// Public so that tests (and a second "instance" in them) can run one pass by hand.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var sent = 0;
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var claimed = await ClaimAsync(now, ct);
            if (claimed.Count == 0)
            {
                await DeleteOldSentAsync(now, ct);
                return sent;
            }

            sent += await SendAsync(claimed, ct);
        }
    }

    private async Task<List<Claimed>> ClaimAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.OutgoingEmails.AsNoTracking()
            .Where(e => (e.Status == EmailStatus.Waiting || e.Status == EmailStatus.Sending) && e.NextAttemptAt <= now)
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
            .Select(e => new { e.Id, e.Attempts })
            .Take(BatchSize)
            .ToListAsync(ct);
        var claimed = new List<Claimed>(due.Count);
        foreach (var candidate in due)
        {
            var attempt = candidate.Attempts + 1;
            var won = await db.OutgoingEmails
                .Where(e => e.Id == candidate.Id && e.Attempts == candidate.Attempts
                    && (e.Status == EmailStatus.Waiting || e.Status == EmailStatus.Sending) && e.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, EmailStatus.Sending)
                    .SetProperty(e => e.Attempts, attempt)
                    .SetProperty(e => e.ClaimedBy, InstanceId)
                    .SetProperty(e => e.NextAttemptAt, now + Lease), ct);
            if (won == 1)
            {
                claimed.Add(new Claimed(candidate.Id, attempt));
            }
        }

        return claimed;
    }

    private async Task<int> SendAsync(List<Claimed> claimed, CancellationToken ct)
    {
        var settings = options.Value;
        List<MimeMessage> messages;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var ids = claimed.Select(c => c.Id).ToList();
            var rows = await db.OutgoingEmails.AsNoTracking().Where(e => ids.Contains(e.Id))
                .Select(e => new { e.Id, e.ToAddress, e.ToName, e.Subject, e.TextBody, e.HtmlBody })
                .ToDictionaryAsync(e => e.Id, ct);
            messages = claimed.Select(c => rows[c.Id]).Select(r => Message(settings, r.ToAddress, r.ToName, r.Subject, r.TextBody, r.HtmlBody)).ToList();
        }

        var sent = 0;
        using var smtp = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        Exception? connectionError = null;
        try
        {
            await smtp.ConnectAsync(settings.Host!, settings.Port, settings.TlsMode, ct);
            if (!string.IsNullOrEmpty(settings.User))
            {
                await smtp.AuthenticateAsync(settings.User, settings.Password ?? "", ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            connectionError = ex;
        }

        for (var i = 0; i < claimed.Count; i++)
        {
            var error = connectionError;
            if (error is null)
            {
                try
                {
                    await smtp.SendAsync(messages[i], ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    error = ex;
                    // A dropped connection fails the rest of the batch too; they are retried like this one.
                    if (!smtp.IsConnected)
                    {
                        connectionError = ex;
                    }
                }
            }

            if (error is null)
            {
                await MarkSentAsync(claimed[i], ct);
                sent++;
            }
            else
            {
                await MarkFailedAsync(claimed[i], error, settings.MaxAttempts, ct);
            }
        }

        if (smtp.IsConnected)
        {
            try
            {
                await smtp.DisconnectAsync(quit: true, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Closing the SMTP connection failed");
            }
        }

        return sent;
    }

    private static MimeMessage Message(SmtpOptions settings, string toAddress, string toName, string subject, string text, string html)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress!));
        message.To.Add(new MailboxAddress(toName, toAddress));
        message.Subject = subject;
        // Tells mail servers and auto-responders that no person wrote it (RFC 3834): no out-of-office replies.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    private async Task MarkSentAsync(Claimed email, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.OutgoingEmails.Where(e => e.Id == email.Id && e.ClaimedBy == InstanceId && e.Attempts == email.Attempt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, EmailStatus.Sent)
                .SetProperty(e => e.SentAt, now)
                .SetProperty(e => e.LastError, (string?)null), ct);
        logger.LogInformation("E-mail {EmailId} sent (attempt {Attempt})", email.Id, email.Attempt);
    }

    private async Task MarkFailedAsync(Claimed email, Exception error, int maxAttempts, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (status, next) = EmailRetry.AfterFailure(email.Attempt, maxAttempts, now);
        var message = error.Message.Length > OutgoingEmail.ErrorMaxLength ? error.Message[..OutgoingEmail.ErrorMaxLength] : error.Message;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.OutgoingEmails.Where(e => e.Id == email.Id && e.ClaimedBy == InstanceId && e.Attempts == email.Attempt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, status)
                .SetProperty(e => e.NextAttemptAt, next)
                .SetProperty(e => e.LastError, message), ct);

        // The server's answer can name the recipient: at information level only the e-mail's id, the kind of error
        // and the SMTP status code; the full answer is on the admin's page and at debug level.
        var reason = error is SmtpCommandException command ? $"{error.GetType().Name} {(int)command.StatusCode}" : error.GetType().Name;
        if (status == EmailStatus.Failed)
        {
            logger.LogWarning("E-mail {EmailId} given up after {Attempts} attempts: {Reason}", email.Id, email.Attempt, reason);
        }
        else
        {
            logger.LogInformation("E-mail {EmailId} attempt {Attempt} of {MaxAttempts} failed ({Reason}); next attempt at {NextAttemptAt:u}",
                email.Id, email.Attempt, maxAttempts, reason, next);
        }

        logger.LogDebug(error, "E-mail {EmailId} attempt {Attempt} failed", email.Id, email.Attempt);
    }

    private async Task DeleteOldSentAsync(DateTime now, CancellationToken ct)
    {
        var before = now - KeepSent;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.OutgoingEmails.Where(e => e.Status == EmailStatus.Sent && e.SentAt < before).ExecuteDeleteAsync(ct);
    }

    /// <summary>When the next retry or expired claim is due, at the latest <see cref="PollEvery"/> from now.</summary>
    private async Task<DateTimeOffset> NextTurnAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var next = await db.OutgoingEmails.AsNoTracking()
            .Where(e => e.Status == EmailStatus.Waiting || e.Status == EmailStatus.Sending)
            .OrderBy(e => e.NextAttemptAt)
            .Select(e => (DateTime?)e.NextAttemptAt)
            .FirstOrDefaultAsync(ct);
        var poll = time.GetUtcNow() + PollEvery;
        if (next is null)
        {
            return poll;
        }

        var due = new DateTimeOffset(DateTime.SpecifyKind(next.Value, DateTimeKind.Utc));
        return due < poll ? due : poll;
    }

    /// <summary>
    /// Waits until <paramref name="until"/> or a <see cref="Wake"/>. The wait is measured from the clock right here, so
    /// a clock that moved on meanwhile (a test's fake clock, a slow database) shortens it instead of being missed.
    /// </summary>
    private async Task WaitAsync(DateTimeOffset until, CancellationToken stoppingToken)
    {
        var wait = until - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(wait, time, either.Token);
        var woken = wake.Reader.WaitToReadAsync(either.Token).AsTask();
        await Task.WhenAny(delay, woken);
        await either.CancelAsync();
        wake.Reader.TryRead(out _);
        stoppingToken.ThrowIfCancellationRequested();
    }

    private sealed record Claimed(long Id, int Attempt);
}
