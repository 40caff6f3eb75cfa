using SchoolCrm.Domain.Email;

namespace SchoolCrm.Tests.Domain.Email;

public sealed class EmailRetryTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_wait_doubles_from_one_minute_and_never_exceeds_an_hour()
    {
        var minutes = Enumerable.Range(1, 9).Select(a => EmailRetry.DelayAfter(a).TotalMinutes);

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], minutes);
        Assert.Equal(60, EmailRetry.DelayAfter(1000).TotalMinutes);
    }

    [Fact]
    public void A_failed_attempt_waits_until_the_bound_and_then_the_e_mail_is_failed()
    {
        Assert.Equal((EmailStatus.Waiting, Now.AddMinutes(4)), EmailRetry.AfterFailure(3, 8, Now));
        Assert.Equal((EmailStatus.Waiting, Now.AddHours(1)), EmailRetry.AfterFailure(7, 8, Now));
        Assert.Equal(EmailStatus.Failed, EmailRetry.AfterFailure(8, 8, Now).Status);
    }

    [Fact]
    public void A_new_e_mail_waits_to_be_sent_at_once()
    {
        var email = OutgoingEmail.Create(SchoolCrm.Domain.Notifications.NotificationKind.TaskAssigned, "a@school.test", "A", new string('s', 400), "t", "<p>t</p>", Now);

        Assert.Equal((EmailStatus.Waiting, Now, 0, OutgoingEmail.SubjectMaxLength), (email.Status, email.NextAttemptAt, email.Attempts, email.Subject.Length));
    }
}
