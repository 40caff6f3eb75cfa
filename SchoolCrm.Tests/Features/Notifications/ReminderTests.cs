using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SchoolCrm.Domain.Notifications;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Notifications;

/// <summary>
/// Task reminders through the real TaskService, schedule and <see cref="ReminderWorker"/>, with the clock driven by
/// the test: each test has its own app (or two, on one database file) whose fake clock starts where the test says.
/// </summary>
public sealed class ReminderTests
{
    [Fact]
    public async Task A_reminder_goes_out_once_at_its_time_to_the_assignee()
    {
        await using var app = new RemindersApp(At(2026, 12, 2, 9, 0));
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        // Wednesday 2 December, 12:00 at the school (11:00 UTC), one hour before: due at 10:00 UTC.
        var taskId = await app.NewTaskWithReminderAsync(carla, anna, new DateOnly(2026, 12, 2), new TimeOnly(12, 0), TaskReminder.OneHourBefore);
        Assert.Equal(Utc(2026, 12, 2, 10, 0), await app.DueOfAsync(taskId));

        app.Time.SetUtcNow(At(2026, 12, 2, 9, 59, 59));
        await app.DeliverDueNowAsync();
        Assert.Empty(await app.RemindersOfAsync(anna));

        app.Time.Advance(TimeSpan.FromSeconds(1));
        var reminder = Assert.Single(await app.WaitForRemindersAsync(anna, 1));
        Assert.Equal((taskId, Utc(2026, 12, 2, 10, 0), false), (reminder.TaskId, reminder.DueUtc, reminder.IsLate));

        // Later rounds, of the worker or anyone, never send it again; nobody else got it.
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.DeliverDueNowAsync();
        Assert.Single(await app.RemindersOfAsync(anna));
        Assert.Empty(await app.RemindersOfAsync(carla));
    }

    [Fact]
    public async Task A_new_deadline_reschedules_and_a_done_or_deleted_task_cancels()
    {
        await using var app = new RemindersApp(At(2026, 12, 2, 9, 0));
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        var moved = await app.NewTaskWithReminderAsync(carla, anna, new DateOnly(2026, 12, 2), new TimeOnly(12, 0), TaskReminder.AtDeadline, "Moved");
        var done = await app.NewTaskWithReminderAsync(carla, anna, new DateOnly(2026, 12, 2), new TimeOnly(12, 0), TaskReminder.AtDeadline, "Done");
        var deleted = await app.NewTaskWithReminderAsync(carla, anna, new DateOnly(2026, 12, 2), new TimeOnly(12, 0), TaskReminder.AtDeadline, "Deleted");

        await app.TasksAsync(carla, false, async t =>
        {
            var details = await t.GetAsync(moved) ?? throw new InvalidOperationException("no task");
            var input = new Web.Features.Tasks.TaskInput(null, anna.Id, details.Item.TaskTypeId, "Moved", null, new DateOnly(2026, 12, 2), new TimeOnly(15, 0), false, TaskReminder.AtDeadline);
            await t.UpdateAsync(moved, details.Item.Version, input);
        });
        await app.TasksAsync(anna, false, t => t.CompleteAsync(done));
        await app.TasksAsync(carla, false, t => t.DeleteAsync(deleted));
        Assert.Equal(Utc(2026, 12, 2, 14, 0), await app.DueOfAsync(moved));
        Assert.Null(await app.DueOfAsync(done));
        Assert.Null(await app.DueOfAsync(deleted));

        // Past the old time (11:00 UTC): nothing. At the new one (14:00 UTC): the moved task, and only it.
        app.Time.SetUtcNow(At(2026, 12, 2, 13, 0));
        await app.DeliverDueNowAsync();
        Assert.Empty(await app.RemindersOfAsync(anna));
        app.Time.SetUtcNow(At(2026, 12, 2, 14, 0));
        var reminder = Assert.Single(await app.WaitForRemindersAsync(anna, 1));
        Assert.Equal(moved, reminder.TaskId);

        // Reopening the done task after its time does not send a reminder that is already past.
        await app.TasksAsync(anna, false, t => t.ReopenAsync(done));
        Assert.Null(await app.DueOfAsync(done));
    }

    [Fact]
    public async Task A_reassigned_task_reminds_its_new_assignee_and_a_disabled_assignee_gets_none()
    {
        await using var app = new RemindersApp(At(2026, 12, 2, 9, 0));
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        var bruno = await app.NewOperatorAsync();
        var dora = await app.NewOperatorAsync();
        var handedOn = await app.NewTaskWithReminderAsync(carla, anna, new DateOnly(2026, 12, 2), new TimeOnly(12, 0), TaskReminder.FifteenMinutesBefore, "Handed on");
        var dorasTask = await app.NewTaskWithReminderAsync(carla, dora, new DateOnly(2026, 12, 2), new TimeOnly(12, 0), TaskReminder.FifteenMinutesBefore, "Dora's");
        await app.TasksAsync(carla, false, t => t.AssignAsync(handedOn, bruno.Id));
        await app.DisableAsync(dora);

        app.Time.SetUtcNow(At(2026, 12, 2, 10, 45));

        var brunos = Assert.Single(await app.WaitForRemindersAsync(bruno, 1));
        Assert.Equal(handedOn, brunos.TaskId);
        await app.WaitUntilAsync(db => db.ScheduledReminders.Any(r => r.TaskId == dorasTask && r.DeliveredAt != null));
        Assert.Empty(await app.RemindersOfAsync(anna));
        Assert.Empty(await app.RemindersOfAsync(dora));
    }

    [Fact]
    public async Task What_fell_due_while_the_app_was_down_goes_out_at_start_marked_late_with_its_time()
    {
        // The second app owns the database file (its folder outlives the first app).
        await using var afterRestart = new RemindersApp(At(2026, 12, 2, 12, 30));
        AppUser anna;
        int taskId;
        await using (var beforeRestart = new RemindersApp(At(2026, 12, 2, 9, 0), afterRestart.ConnectionString))
        {
            var carla = await beforeRestart.NewOperatorAsync();
            anna = await beforeRestart.NewOperatorAsync();
            taskId = await beforeRestart.NewTaskWithReminderAsync(carla, anna, new DateOnly(2026, 12, 2), new TimeOnly(12, 0), TaskReminder.OneHourBefore);
        }

        // Down from 09:00 to 12:30 UTC; the reminder was due at 10:00 UTC.
        _ = afterRestart.Services;

        var reminder = Assert.Single(await afterRestart.WaitForRemindersAsync(anna, 1));
        Assert.Equal((taskId, Utc(2026, 12, 2, 10, 0), true), (reminder.TaskId, reminder.DueUtc, reminder.IsLate));
    }

    [Fact]
    public async Task Two_app_instances_on_one_database_deliver_each_reminder_exactly_once()
    {
        const int tasks = 150;
        await using var first = new RemindersApp(At(2026, 12, 2, 9, 0));
        await using var second = new RemindersApp(At(2026, 12, 2, 9, 0), first.ConnectionString);
        var carla = await first.NewOperatorAsync();
        var anna = await first.NewOperatorAsync();
        var typeId = await first.FirstTaskTypeIdAsync();
        for (var i = 0; i < tasks; i++)
        {
            var input = TaskTestData.Input(anna.Id, typeId, title: $"Call {i}", date: new DateOnly(2026, 12, 2), time: new TimeOnly(12, 0)) with { Reminder = TaskReminder.AtDeadline };
            await first.TasksAsync(carla, false, t => t.CreateAsync(input));
        }

        // Both instances are up and both clocks pass the time; besides both workers, each instance runs rounds of its
        // own in parallel, so claims really race.
        _ = second.Services;
        first.Time.SetUtcNow(At(2026, 12, 2, 11, 0));
        second.Time.SetUtcNow(At(2026, 12, 2, 11, 0));
        await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => new[] { first.DeliverDueNowAsync(10), second.DeliverDueNowAsync(10) }));

        await first.WaitUntilAsync(db => !db.ScheduledReminders.Any(r => r.DeliveredAt == null));
        var reminders = await first.RemindersOfAsync(anna);
        Assert.Equal(tasks, reminders.Count);
        Assert.Equal(tasks, reminders.Select(r => r.TaskId).Distinct().Count());
    }

    [Fact]
    public async Task Reminders_keep_the_school_clock_across_the_switch_to_summer_time()
    {
        // Rome switches from UTC+1 to UTC+2 on Sunday 28 March 2027 at 02:00.
        await using var app = new RemindersApp(At(2027, 3, 27, 6, 0));
        var carla = await app.NewOperatorAsync();
        var anna = await app.NewOperatorAsync();
        // Sunday 10:00 (summer time, 08:00 UTC), "one day before": Saturday 10:00 (winter time, 09:00 UTC), not 08:00.
        var dayBefore = await app.NewTaskWithReminderAsync(carla, anna, new DateOnly(2027, 3, 28), new TimeOnly(10, 0), TaskReminder.OneDayBefore, "Day before");
        // Sunday 03:30 (summer time, 01:30 UTC), "one hour before": 00:30 UTC, which is 01:30 winter time.
        var hourBefore = await app.NewTaskWithReminderAsync(carla, anna, new DateOnly(2027, 3, 28), new TimeOnly(3, 30), TaskReminder.OneHourBefore, "Hour before");
        Assert.Equal(Utc(2027, 3, 27, 9, 0), await app.DueOfAsync(dayBefore));
        Assert.Equal(Utc(2027, 3, 28, 0, 30), await app.DueOfAsync(hourBefore));

        app.Time.SetUtcNow(At(2027, 3, 27, 8, 59, 59));
        await app.DeliverDueNowAsync();
        Assert.Empty(await app.RemindersOfAsync(anna));
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([dayBefore], (await app.WaitForRemindersAsync(anna, 1)).Select(r => r.TaskId));

        app.Time.SetUtcNow(At(2027, 3, 28, 0, 29, 59));
        await app.DeliverDueNowAsync();
        Assert.Single(await app.RemindersOfAsync(anna));
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([dayBefore, hourBefore], (await app.WaitForRemindersAsync(anna, 2)).Select(r => r.TaskId).Order());
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    private static DateTime Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);
}

/// <summary>
/// The real app with the school in Europe/Rome and a fake clock at <paramref name="start"/>, optionally on another
/// app's database file (a second instance, or the same school after a restart). The worker polls rarely, so what
/// happens is driven by the clock and the saves, not by time passing.
/// </summary>
internal sealed class RemindersApp : CrmAppFactory
{
    public RemindersApp(DateTimeOffset start, string? connectionString = null)
    {
        Time = new FakeTimeProvider(start);
        WithSetting("School:TimeZone", "Europe/Rome");
        WithSetting("Reminders:PollSeconds", "3600");
        if (connectionString is not null)
        {
            WithSetting("ConnectionStrings:Crm", connectionString);
        }
    }

    public FakeTimeProvider Time { get; }

    public async Task<int> NewTaskWithReminderAsync(AppUser creator, AppUser assignee, DateOnly date, TimeOnly time, TaskReminder reminder, string title = "Call back")
    {
        var typeId = await this.FirstTaskTypeIdAsync();
        var input = TaskTestData.Input(assignee.Id, typeId, title: title, date: date, time: time) with { Reminder = reminder };
        return await this.TasksAsync(creator, false, t => t.CreateAsync(input));
    }

    /// <summary>When the task's reminder waits to go out; null when it does not wait (none, sent, cancelled).</summary>
    public async Task<DateTime?> DueOfAsync(int taskId)
    {
        await using var db = this.Db();
        return await db.ScheduledReminders.Where(r => r.TaskId == taskId && r.DeliveredAt == null).Select(r => (DateTime?)r.DueUtc).FirstOrDefaultAsync();
    }

    /// <summary>One round of delivery now, as the worker runs it (what is not due stays).</summary>
    public async Task DeliverDueNowAsync(int batchSize = 100)
    {
        await using var scope = Services.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<ReminderDelivery>();
        while (await delivery.DeliverDueAsync(batchSize, CancellationToken.None) > 0)
        {
        }
    }

    public async Task<List<Notification>> RemindersOfAsync(AppUser user)
    {
        await using var db = this.Db();
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == user.Id && n.Kind == NotificationKind.TaskReminder).OrderBy(n => n.Id).ToListAsync();
    }

    /// <summary>Waits (for a state, not a time) until the worker has delivered <paramref name="count"/> reminders to the user.</summary>
    public async Task<List<Notification>> WaitForRemindersAsync(AppUser user, int count)
    {
        await WaitUntilAsync(db => db.Notifications.Count(n => n.UserId == user.Id && n.Kind == NotificationKind.TaskReminder) >= count);
        return await RemindersOfAsync(user);
    }

    public async Task WaitUntilAsync(Func<Web.Data.CrmDbContext, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using (var db = this.Db())
            {
                if (condition(db))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The reminder worker did not get there within 30 s.");
            }

            await Task.Delay(20);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
