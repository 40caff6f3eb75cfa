using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Email;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Email;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Tasks;
using SchoolCrm.Web.Hosting;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Email;

/// <summary>
/// E-mail of notifications through the real app, its outbox worker and a real SMTP server on 127.0.0.1 (also down and
/// back); the fake clock drives the back-off. Tests of one class run one after the other, so stopping the server here
/// disturbs no other test; each test restarts it.
/// </summary>
public sealed class EmailTests(EmailApp app) : IClassFixture<EmailApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.Smtp.StartAsync();

    public Task DisposeAsync() => app.Smtp.StartAsync();

    [Fact]
    public async Task An_assignment_e_mail_reaches_the_assignee_in_their_language_with_a_link_and_escaped_html()
    {
        var carla = await app.NewOperatorAsync("Carla Creator");
        var anna = await app.NewOperatorAsync("Anna <Assignee>");
        await app.SetCultureAsync(anna, "de");
        var leadId = await app.NewLeadAsync(carla, "Lucia");

        var taskId = await NewTaskAsync(carla, anna, notify: true, leadId: leadId, title: "Call <Lucia> & co");

        var message = Assert.Single(await app.Smtp.WaitForAsync(anna.Email!));
        Assert.Equal("Neue Aufgabe für Sie: Call <Lucia> & co", message.Subject);
        Assert.Equal(("School CRM", "crm@school.test"), (message.From.Mailboxes.Single().Name, message.From.Mailboxes.Single().Address));
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        var link = $"{EmailApp.PublicUrl}/tasks/{taskId}";
        Assert.Contains(link, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Call <Lucia> & co", message.TextBody, StringComparison.Ordinal);
        // German formats, the school's time: the deadline was entered as 3 December, 10:00 at the school.
        Assert.Contains("fällig 03.12.2026 10:00", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Lucia", message.TextBody, StringComparison.Ordinal);

        Assert.Contains("<html lang=\"de\">", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Call &lt;Lucia&gt; &amp; co", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hallo Anna &lt;Assignee&gt;,", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<Lucia>", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<Assignee>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{link}\">Aufgabe öffnen</a>", message.HtmlBody, StringComparison.Ordinal);

        var row = await app.WaitForOutboxAsync(anna, e => e.Status == EmailStatus.Sent);
        Assert.Equal((1, NotificationKind.TaskAssigned), (row.Attempts, row.Kind));
    }

    [Fact]
    public async Task A_user_without_a_language_of_their_own_gets_the_e_mail_in_the_schools_language()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync("Anna");

        await NewTaskAsync(carla, anna, notify: true, title: "Plain");

        // School:Culture is empty in the tests: English, with British formats.
        var message = Assert.Single(await app.Smtp.WaitForAsync(anna.Email!));
        Assert.Equal("New task for you: Plain", message.Subject);
        Assert.Contains("due 03/12/2026 10:00", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open the task", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_e_mail_for_a_popup_only_choice_nor_for_the_previous_assignee_of_a_reassigned_task()
    {
        var carla = await app.NewOperatorAsync();
        var pia = await app.NewOperatorAsync();
        var bruno = await app.NewOperatorAsync();
        var dario = await app.NewOperatorAsync();
        await NotificationsAsync(pia, n => n.SetDeliveryAsync(new NotificationDeliveryChoice(NotificationDelivery.Popup, NotificationDelivery.PopupAndEmail)));

        await NewTaskAsync(carla, pia, notify: true);
        var taskId = await NewTaskAsync(carla, bruno, notify: true);
        await app.TasksAsync(carla, false, t => t.AssignAsync(taskId, dario.Id));

        await app.Smtp.WaitForAsync(dario.Email!);
        Assert.Empty(await app.OutboxAsync(pia));
        // Bruno's one e-mail is the assignment; being told of the reassignment (TaskUnassigned) never mails.
        Assert.Equal([NotificationKind.TaskAssigned], (await app.OutboxAsync(bruno)).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_reminder_delivered_late_says_in_its_e_mail_when_it_was_due()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        var taskId = await NewTaskAsync(carla, anna, notify: false, title: "Late one");
        var dueUtc = app.Time.GetUtcNow().UtcDateTime.AddHours(-2);

        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = app.Db())
        {
            var sender = scope.ServiceProvider.GetRequiredService<NotificationSender>();
            var task = await db.Tasks.SingleAsync(t => t.Id == taskId);
            var pending = await sender.AddAboutTaskAsync(db, anna.Id, NotificationKind.TaskReminder, task, dueUtc);
            await db.SaveChangesAsync();
            await sender.SignalAsync(pending);
            Assert.True(pending!.Email);
        }

        var message = Assert.Single(await app.Smtp.WaitForAsync(anna.Email!));
        Assert.Equal("Reminder: Late one", message.Subject);
        // In the school's time (Rome) and British formats, as English shows it.
        var due = app.Services.GetRequiredService<SchoolClock>().ToSchoolTime(dueUtc).ToString("g", CultureInfo.GetCultureInfo("en-GB"));
        Assert.Contains("late: it was due at " + due, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("late: it was due at " + due, message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_due_reminder_from_the_reminder_worker_is_e_mailed_to_the_assignee()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        var clock = app.Services.GetRequiredService<SchoolClock>();
        var tomorrow = clock.ToSchoolTime(app.Time.GetUtcNow().UtcDateTime).AddDays(1);
        var (date, time) = (DateOnly.FromDateTime(tomorrow), new TimeOnly(tomorrow.Hour, 0));
        var typeId = await app.FirstTaskTypeIdAsync();
        await app.TasksAsync(carla, false, t => t.CreateAsync(new TaskInput(null, anna.Id, typeId, "Remind by mail", null, date, time, false, TaskReminder.OneHourBefore)));
        Assert.Empty(await app.OutboxAsync(anna));

        app.Time.SetUtcNow(clock.ToUtc(date, time) - TimeSpan.FromHours(1));
        await AdvanceUntilAsync(() => app.Smtp.To(anna.Email!).Count == 1);

        var message = Assert.Single(app.Smtp.To(anna.Email!));
        Assert.Equal("Reminder: Remind by mail", message.Subject);
        Assert.DoesNotContain("late", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_mail_server_down_the_save_succeeds_and_the_e_mail_goes_out_after_the_back_off_once_it_is_back()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        await app.Smtp.StopAsync();

        await NewTaskAsync(carla, anna, notify: true, title: "While down");

        var failed = await app.WaitForOutboxAsync(anna, e => e.Attempts == 1 && e.Status == EmailStatus.Waiting);
        Assert.False(string.IsNullOrEmpty(failed.LastError));
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime + EmailRetry.FirstDelay, failed.NextAttemptAt);
        Assert.Single((await NotificationsAsync(anna, n => n.ListAsync())).Items);

        await app.Smtp.StartAsync();
        Assert.Empty(app.Smtp.To(anna.Email!));
        await AdvanceUntilAsync(() => app.Smtp.To(anna.Email!).Count == 1);

        var sent = await app.WaitForOutboxAsync(anna, e => e.Status == EmailStatus.Sent);
        Assert.Equal(2, sent.Attempts);
        Assert.Single(app.Smtp.To(anna.Email!));
    }

    [Fact]
    public async Task An_e_mail_is_given_up_after_the_bound_shown_to_an_admin_only_and_sent_when_the_admin_retries()
    {
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        await app.Smtp.StopAsync();

        await NewTaskAsync(carla, anna, notify: true, title: "Never through");
        await AdvanceUntilAsync(async () => (await app.OutboxAsync(anna)).Single().Status == EmailStatus.Failed);

        var admin = await app.AdminAsync();
        var page = await StatusAsync(admin, true, s => s.GetAsync());
        var row = page.Rows.Single(r => r.ToAddress == anna.Email);
        Assert.Equal((EmailStatus.Failed, EmailApp.MaxAttempts), (row.Status, row.Attempts));
        Assert.False(string.IsNullOrEmpty(row.LastError));
        Assert.True(page.IsEnabled);
        Assert.True(page.Failed >= 1);
        var refused = await Assert.ThrowsAsync<DomainException>(() => StatusAsync(carla, false, s => s.GetAsync()));
        Assert.Equal("auth.admin_only", refused.Code);

        await app.Smtp.StartAsync();
        await StatusAsync(admin, true, async s => { await s.RetryAsync(row.Id); return 0; });

        Assert.Single(await app.Smtp.WaitForAsync(anna.Email!));
        var sent = await app.WaitForOutboxAsync(anna, e => e.Status == EmailStatus.Sent);
        Assert.Equal(1, sent.Attempts);
        var again = await Assert.ThrowsAsync<DomainException>(() => StatusAsync(admin, true, async s => { await s.RetryAsync(row.Id); return 0; }));
        Assert.Equal("email.not_failed", again.Code);
    }

    [Fact]
    public async Task Two_outbox_workers_on_one_database_send_every_e_mail_exactly_once()
    {
        var batch = LeadTestData.Unique("batch").Replace(" ", "-", StringComparison.Ordinal);
        var addresses = Enumerable.Range(0, 45).Select(i => $"{batch}-{i}@school.test").ToList();
        await using (var db = app.Db())
        {
            var now = app.Time.GetUtcNow().UtcDateTime;
            db.OutgoingEmails.AddRange(addresses.Select(a => OutgoingEmail.Create(NotificationKind.TaskReminder, a, "", "Hello", "Hello", "<p>Hello</p>", now)));
            await db.SaveChangesAsync();
        }

        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var options = app.Services.GetRequiredService<IOptions<SmtpOptions>>();
        var one = new EmailOutboxWorker(dbFactory, options, app.Time, NullLogger<EmailOutboxWorker>.Instance);
        var two = new EmailOutboxWorker(dbFactory, options, app.Time, NullLogger<EmailOutboxWorker>.Instance);

        var counts = await Task.WhenAll(Task.Run(() => one.SendDueAsync()), Task.Run(() => two.SendDueAsync()));

        // The app's own worker may take part as a third claimer; whoever sent them, each went out once.
        Assert.InRange(counts.Sum(), 1, addresses.Count);
        Assert.All(addresses, a => Assert.Single(app.Smtp.To(a)));
        await using var check = app.Db();
        var rows = await check.OutgoingEmails.Where(e => e.ToAddress.StartsWith(batch)).Select(e => new { e.Status, e.Attempts }).ToListAsync();
        Assert.All(rows, r => Assert.Equal((EmailStatus.Sent, 1), (r.Status, r.Attempts)));
    }

    [Fact]
    public async Task E_mail_on_without_a_public_address_or_sender_stops_the_app_at_start_with_a_message()
    {
        await using var broken = new CrmAppFactory().WithSetting("Smtp:Host", "127.0.0.1");

        var error = Assert.ThrowsAny<Exception>(() => broken.Services);

        Assert.Contains("School:PublicUrl", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Smtp:FromAddress", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Moves the fake clock on, 20 s at a time, until the condition holds (30 s of real time at the most).</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition) => await AdvanceUntilAsync(() => Task.FromResult(condition()));

    private async Task AdvanceUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true while the clock moved on.");
            app.Time.Advance(TimeSpan.FromSeconds(20));
            await Task.Delay(50);
        }
    }

    private async Task<int> NewTaskAsync(AppUser creator, AppUser assignee, bool notify, int? leadId = null, string title = "Call back")
    {
        var typeId = await app.FirstTaskTypeIdAsync();
        var input = TaskTestData.Input(assignee.Id, typeId, leadId, title) with { NotifyAssignee = notify };
        return await app.TasksAsync(creator, false, t => t.CreateAsync(input));
    }

    private async Task<T> NotificationsAsync<T>(AppUser user, Func<NotificationService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, false);
        return await action(scope.ServiceProvider.GetRequiredService<NotificationService>());
    }

    private async Task NotificationsAsync(AppUser user, Func<NotificationService, Task> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, false);
        await action(scope.ServiceProvider.GetRequiredService<NotificationService>());
    }

    private async Task<T> StatusAsync<T>(AppUser user, bool isAdmin, Func<EmailStatusService, Task<T>> action)
    {
        await using var scope = app.Services.CreateScopeAs(user, isAdmin);
        return await action(scope.ServiceProvider.GetRequiredService<EmailStatusService>());
    }
}
