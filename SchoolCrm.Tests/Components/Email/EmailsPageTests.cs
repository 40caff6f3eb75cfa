using Bunit;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Email;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Tests.Features.Email;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Email;
using SchoolCrm.Web.Features.Notifications;

namespace SchoolCrm.Tests.Components.Email;

/// <summary>The admin's e-mail page and the profile card with e-mail on (an SMTP server inside the test).</summary>
public sealed class EmailsPageTests(EmailApp app) : AppComponentTest<EmailApp>(app)
{
    [Fact]
    public async Task The_page_lists_a_failed_e_mail_with_its_error_and_attempts_and_send_again_delivers_it()
    {
        var address = $"{Guid.NewGuid():N}@school.test";
        await FailedEmailAsync(address, "5.1.1 Mailbox unavailable");
        var admin = await App.AdminAsync();

        var page = RenderAs<EmailsPage>(admin, isAdmin: true);

        page.WaitForState(() => page.FindAll("[data-testid=email-to]").Any(c => c.TextContent == address));
        var row = page.FindAll("tr").Single(r => r.TextContent.Contains(address, StringComparison.Ordinal));
        Assert.Equal("Failed", row.QuerySelector("[data-testid=email-status]")!.TextContent);
        Assert.Equal("3", row.QuerySelector("[data-testid=email-attempts]")!.TextContent);
        Assert.Equal("5.1.1 Mailbox unavailable", row.QuerySelector("[data-testid=email-error]")!.TextContent);
        Assert.DoesNotContain("emails-off", page.Markup, StringComparison.Ordinal);

        row.QuerySelector("button[data-testid=email-retry]")!.Click();

        Assert.Single(await App.Smtp.WaitForAsync(address));
        // The server has it; the worker marks it sent right after.
        await WaitUntilSentAsync(address);
        page.Find("#emails-refresh").Click();
        page.WaitForAssertion(() => Assert.DoesNotContain(address, page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_smtp_set_up_the_profile_card_does_not_say_e_mail_is_off()
    {
        var olga = await App.NewOperatorAsync();

        var card = RenderAs<NotificationPreferences>(olga, isAdmin: false);

        card.WaitForState(() => card.FindAll("input#delivery-assignment").Count == 1);
        Assert.Empty(card.FindAll("#email-off"));
    }

    private async Task WaitUntilSentAsync(string address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = App.Db();
            if (await db.OutgoingEmails.AnyAsync(e => e.ToAddress == address && e.Status == EmailStatus.Sent))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "The e-mail was never marked sent.");
            await Task.Delay(20);
        }
    }

    private async Task FailedEmailAsync(string address, string error)
    {
        // One transaction: the app's worker never sees the row before it is failed.
        await using var db = App.Db();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var email = OutgoingEmail.Create(NotificationKind.TaskAssigned, address, "Fabio", "New task for you: Fail", "Fail", "<p>Fail</p>", App.Time.GetUtcNow().UtcDateTime);
        db.OutgoingEmails.Add(email);
        await db.SaveChangesAsync();
        await db.OutgoingEmails.Where(e => e.Id == email.Id).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, EmailStatus.Failed)
            .SetProperty(e => e.Attempts, EmailApp.MaxAttempts)
            .SetProperty(e => e.LastError, error));
        await transaction.CommitAsync();
    }
}
