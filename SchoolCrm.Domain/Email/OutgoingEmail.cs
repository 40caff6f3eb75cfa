using SchoolCrm.Domain.Notifications;

namespace SchoolCrm.Domain.Email;

public enum EmailStatus
{
    /// <summary>Stored, to be sent at <see cref="OutgoingEmail.NextAttemptAt"/> (at once, or after a failed attempt).</summary>
    Waiting = 1,

    /// <summary>Claimed by one app instance, which is sending it; the claim expires at <see cref="OutgoingEmail.NextAttemptAt"/>.</summary>
    Sending = 2,

    Sent = 3,

    /// <summary>Given up after <see cref="EmailRetry"/>'s bound of attempts; an admin can send it again.</summary>
    Failed = 4,
}

/// <summary>
/// One e-mail in the outbox. It is written complete (address, subject, plain text and HTML, already in the recipient's
/// language) in the same transaction as the notification it carries, and sent later by the outbox worker, so a slow
/// or absent mail server never touches the change that caused it.
/// </summary>
public sealed class OutgoingEmail
{
    public const int AddressMaxLength = 256;
    public const int SubjectMaxLength = 300;
    public const int ErrorMaxLength = 1000;

    private OutgoingEmail()
    {
        ToAddress = "";
        ToName = "";
        Subject = "";
        TextBody = "";
        HtmlBody = "";
    }

    public long Id { get; private set; }

    /// <summary>What the e-mail is about, for the admin's status page.</summary>
    public NotificationKind Kind { get; private set; }

    public string ToAddress { get; private set; }

    public string ToName { get; private set; }

    public string Subject { get; private set; }

    public string TextBody { get; private set; }

    public string HtmlBody { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public EmailStatus Status { get; private set; }

    /// <summary>Attempts made so far; also the row's version, so that only one claimer wins (see the worker).</summary>
    public int Attempts { get; private set; }

    /// <summary>Waiting: when to try next. Sending: when the claim expires (an instance that died while sending).</summary>
    public DateTime NextAttemptAt { get; private set; }

    /// <summary>The app instance that claimed it last.</summary>
    public string? ClaimedBy { get; private set; }

    /// <summary>Why the last attempt failed (the mail server's answer), for the admin.</summary>
    public string? LastError { get; private set; }

    public DateTime? SentAt { get; private set; }

    public static OutgoingEmail Create(
        NotificationKind kind, string toAddress, string toName, string subject, string textBody, string htmlBody, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toAddress);
        return new OutgoingEmail
        {
            Kind = kind,
            ToAddress = toAddress,
            ToName = toName,
            Subject = subject.Length > SubjectMaxLength ? subject[..SubjectMaxLength] : subject,
            TextBody = textBody,
            HtmlBody = htmlBody,
            CreatedAt = nowUtc,
            Status = EmailStatus.Waiting,
            NextAttemptAt = nowUtc,
        };
    }
}

/// <summary>How the outbox retries: the wait after each failed attempt doubles from one minute up to an hour.</summary>
public static class EmailRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan LongestDelay = TimeSpan.FromHours(1);

    /// <summary>The default bound: 8 attempts span about two hours (1 + 2 + 4 + ... + 60 minutes of waiting).</summary>
    public const int DefaultMaxAttempts = 8;

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1, 2, 4 … minutes, at most an hour).</summary>
    public static TimeSpan DelayAfter(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var minutes = Math.Pow(2, Math.Min(attempts - 1, 10)) * FirstDelay.TotalMinutes;
        return TimeSpan.FromMinutes(Math.Min(minutes, LongestDelay.TotalMinutes));
    }

    /// <summary>
    /// What a failed attempt leads to: waiting for the next try, or failed for good once <paramref name="maxAttempts"/>
    /// attempts were made.
    /// </summary>
    public static (EmailStatus Status, DateTime NextAttemptAt) AfterFailure(int attempts, int maxAttempts, DateTime nowUtc) =>
        attempts >= maxAttempts
            ? (EmailStatus.Failed, nowUtc)
            : (EmailStatus.Waiting, nowUtc + DelayAfter(attempts));
}
