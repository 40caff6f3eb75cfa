using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Benchmarks;

/// <summary>
/// Writes the task benchmark's data with plain SQL inserts (prepared commands, one transaction per 100,000 rows):
/// EF Core would take many minutes for a million rows. The numbers are fixed so the measured screens always hold
/// the same: "me" has exactly 2,000 open tasks and a month view of 3,000 items, "feed" exactly 5,000 items.
/// <list type="bullet">
/// <item>me: 300 overdue from before the month view, 1,500 open and 900 done with a deadline in the month view
/// (Mon 30 Nov 2026 .. Sun 3 Jan 2027), 200 open after it, 40,000 done in the four years before; 600 events in the
/// month view (30 of them all day, 10 of those over two or three days), 4,000 in the years before, 400 after it.</item>
/// <item>feed: 3,700 done tasks in the year before now, 300 open in the 90 days after, 1,000 events in that span.</item>
/// <item>everyone else (the admin, the three demo operators, 14 more operators, two of them disabled with a fifth
/// of the others' share): the rest of the 1,000,000 tasks over four years and 60 days ahead (open when due in
/// the future, or in the last 30 days with a chance of 30 %), and 94,000 events with one to three participants.</item>
/// </list>
/// 60 % of the tasks and 30 % of the events belong to one of the demo leads.
/// </summary>
internal static class TaskSeed
{
    private static readonly string[] Titles = ["Call back", "Send the brochure", "Confirm the trial lesson", "Ask for the documents", "Follow up the offer", "Remind about the open day", "Check the payment", "Book the placement test"];
    private static readonly string[] TypeNames = ["Call", "E-mail", "Meeting", "Follow-up", "Other"];
    private static readonly string[] EventTitles = ["Trial lesson", "Open day", "Placement test", "Parents' meeting", "Team meeting", "Consultation"];

    public static async Task RunAsync(IServiceProvider services, string connectionString, string meEmail, string feedEmail)
    {
        var me = await CreateOperatorAsync(services, meEmail, "Martina Esposito");
        var feed = await CreateOperatorAsync(services, feedEmail, "Felix Wagner");
        var bench = new List<string>();
        for (var i = 1; i <= 14; i++)
        {
            bench.Add(await CreateOperatorAsync(services, string.Create(CultureInfo.InvariantCulture, $"operator{i}@bench.invalid"), string.Create(CultureInfo.InvariantCulture, $"Operator {i:D2}")));
        }

        List<string> others;
        List<int> leadIds;
        List<int> typeIds;
        await using (var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync())
        {
            if (!await db.TaskTypes.AnyAsync())
            {
                db.TaskTypes.AddRange(TypeNames.Select((name, i) => new TaskType(name, i + 1)));
                await db.SaveChangesAsync();
            }

            typeIds = await db.TaskTypes.OrderBy(t => t.SortOrder).Select(t => t.Id).ToListAsync();
            others = await db.Users.Where(u => u.Id != me && u.Id != feed).OrderBy(u => u.Email).Select(u => u.Id).ToListAsync();
            leadIds = await db.Leads.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync();
        }

        // The last two bench operators left the school: disabled, with a fifth of the others' share of tasks.
        var disabled = bench.TakeLast(2).ToHashSet();
        var active = others.Where(u => !disabled.Contains(u)).ToList();
        var weighted = others.SelectMany(u => Enumerable.Repeat(u, disabled.Contains(u) ? 1 : 5)).ToList();

        var withoutForeignKeys = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = false };
        await using var connection = new SqliteConnection(withoutForeignKeys.ToString());
        await connection.OpenAsync();
        var writer = new Writer(connection, new Random(42), leadIds, typeIds, active);
        var (monthFrom, monthTo) = TaskBench.MonthView;
        var now = TaskBench.Now;

        // me
        writer.Tasks(me, 300, now.AddDays(-60), monthFrom, open: true);
        writer.Tasks(me, 1_500, monthFrom, monthTo, open: true);
        writer.Tasks(me, 900, monthFrom, monthTo, open: false);
        writer.Tasks(me, 200, monthTo, now.AddDays(120), open: true);
        writer.Tasks(me, 40_000, now.AddDays(-1460), monthFrom, open: false);
        writer.Events([me], 570, monthFrom, monthTo, others: [], allDay: 0);
        writer.Events([me], 30, monthFrom, monthTo, others: [], allDay: 30);
        writer.Events([me], 4_000, now.AddDays(-1460), monthFrom.AddDays(-7), others, allDay: 0);
        writer.Events([me], 400, monthTo.AddDays(1), now.AddDays(120), others, allDay: 0);

        // feed
        writer.Tasks(feed, 3_700, now.AddDays(-365), now, open: false);
        writer.Tasks(feed, 300, now, now.AddDays(90), open: true);
        writer.Events([feed], 1_000, now.AddDays(-365), now.AddDays(90), others, allDay: 0);

        // everyone else
        var random = new Random(7);
        for (var written = writer.TaskCount; written < TaskBench.TotalTasks; written++)
        {
            writer.OtherTask(weighted[random.Next(weighted.Count)], now.AddDays(-1460), now.AddDays(60));
        }

        for (var i = 0; i < 94_000; i++)
        {
            var first = others[random.Next(others.Count)];
            writer.Events([first], 1, now.AddDays(-1460), now.AddDays(120), others.Where(o => o != first).ToList(), allDay: random.Next(20) == 0 ? 1 : 0);
        }

        await writer.CommitAsync();
        await using (var disable = connection.CreateCommand())
        {
            disable.CommandText = $"UPDATE AspNetUsers SET IsDisabled = 1 WHERE Id IN ({string.Join(", ", disabled.Select(d => "'" + d + "'"))})";
            await disable.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"Wrote {writer.TaskCount} tasks and {writer.EventCount} events");
    }

    private static async Task<string> CreateOperatorAsync(IServiceProvider services, string email, string name)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAt = TaskBench.Now.AddYears(-4) };
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, Roles.Operator);
        return user.Id;
    }

    /// <summary>Prepared inserts; a new transaction every 100,000 rows.</summary>
    private sealed class Writer
    {
        private readonly SqliteConnection connection;
        private readonly Random random;
        private readonly List<int> leadIds;
        private readonly List<int> typeIds;
        private readonly List<string> creators;
        private readonly SqliteCommand task;
        private readonly SqliteCommand item;
        private readonly SqliteCommand participant;
        private SqliteTransaction? transaction;
        private int inTransaction;

        public Writer(SqliteConnection connection, Random random, List<int> leadIds, List<int> typeIds, List<string> creators)
        {
            this.connection = connection;
            this.random = random;
            this.leadIds = leadIds;
            this.typeIds = typeIds;
            this.creators = creators;
            task = Prepare("""
                INSERT INTO Tasks (LeadId, StudentId, AssignedToUserId, CreatedByUserId, TaskTypeId, Title, Description, DeadlineUtc,
                    NotifyAssignee, Reminder, ReminderDueUtc, CompletedAt, CompletedByUserId, CreatedAt, UpdatedAt, UpdatedByUserId, Version)
                VALUES ($lead, NULL, $assignee, $creator, $type, $title, $description, $deadline,
                    0, $reminder, $reminderDue, $completed, $completedBy, $created, $updated, $creator, $version)
                """, "$lead", "$assignee", "$creator", "$type", "$title", "$description", "$deadline", "$reminder", "$reminderDue", "$completed", "$completedBy", "$created", "$updated", "$version");
            item = Prepare("""
                INSERT INTO Events (Id, LeadId, StudentId, Title, Location, Description, AllDay, StartUtc, EndUtc, StartDate, EndDate,
                    CreatedByUserId, CreatedAt, UpdatedAt, UpdatedByUserId, Version)
                VALUES ($id, $lead, NULL, $title, $location, NULL, $allDay, $start, $end, $startDate, $endDate,
                    $creator, $created, $created, $creator, $version)
                """, "$id", "$lead", "$title", "$location", "$allDay", "$start", "$end", "$startDate", "$endDate", "$creator", "$created", "$version");
            participant = Prepare("INSERT INTO EventParticipants (EventId, UserId) VALUES ($event, $user)", "$event", "$user");
        }

        public int TaskCount { get; private set; }

        public int EventCount { get; private set; }

        /// <summary><paramref name="count"/> tasks of <paramref name="assignee"/> due in [from, to), all open or all done.</summary>
        public void Tasks(string assignee, int count, DateTime from, DateTime to, bool open)
        {
            for (var i = 0; i < count; i++)
            {
                var deadline = Between(from, to);
                DateTime? completed = open ? null : Earliest(deadline.AddMinutes(random.Next(-2 * 1440, 3 * 1440)), TaskBench.Now.AddMinutes(-random.Next(1, 20 * 1440)));
                Task(assignee, deadline, completed);
            }
        }

        /// <summary>Open when due in the future (70 %) or in the last 30 days (30 %), otherwise done around the deadline.</summary>
        public void OtherTask(string assignee, DateTime from, DateTime to)
        {
            var deadline = Between(from, to);
            var now = TaskBench.Now;
            var open = deadline > now ? random.NextDouble() < 0.7 : deadline > now.AddDays(-30) && random.NextDouble() < 0.3;
            Task(assignee, deadline, open ? null : Earliest(deadline.AddMinutes(random.Next(-2 * 1440, 3 * 1440)), now.AddMinutes(-random.Next(1, 600))));
        }

        /// <summary>
        /// <paramref name="count"/> events of the participants starting in [from, to): timed ones from 08:00 to 18:00 at
        /// the school for 30 minutes to two hours, the first <paramref name="allDay"/> all day (every third over two or
        /// three days, all within [from, to)); up to two more participants from <paramref name="others"/>.
        /// </summary>
        public void Events(List<string> participants, int count, DateTime from, DateTime to, List<string> others, int allDay)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");
            var localFrom = TimeZoneInfo.ConvertTimeFromUtc(from, zone);
            var firstDay = DateOnly.FromDateTime(localFrom).AddDays(localFrom.TimeOfDay == TimeSpan.Zero ? 0 : 1);
            var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(to, zone)).AddDays(-1);
            var days = lastDay.DayNumber - firstDay.DayNumber + 1;
            for (var i = 0; i < count; i++)
            {
                var people = participants.ToList();
                for (var extra = random.Next(3); extra > 0 && others.Count > 0; extra--)
                {
                    var other = others[random.Next(others.Count)];
                    if (!people.Contains(other))
                    {
                        people.Add(other);
                    }
                }

                Start();
                var id = ++EventCount;
                var length = i % 3 == 2 ? 2 + random.Next(2) : 1;
                var first = firstDay.AddDays(random.Next(Math.Max(1, days - (i < allDay ? length - 1 : 0))));
                DateTime start, end;
                if (i < allDay)
                {
                    var last = first.AddDays(length - 1);
                    start = TimeZoneInfo.ConvertTimeToUtc(first.ToDateTime(TimeOnly.MinValue), zone);
                    end = TimeZoneInfo.ConvertTimeToUtc(last.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
                    Set(item, "$startDate", first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    Set(item, "$endDate", last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                else
                {
                    start = TimeZoneInfo.ConvertTimeToUtc(first.ToDateTime(new TimeOnly(8, 0)).AddMinutes(15 * random.Next(40)), zone);
                    end = start.AddMinutes(30 * (1 + random.Next(4)));
                    Set(item, "$startDate", null);
                    Set(item, "$endDate", null);
                }

                var creator = people[random.Next(people.Count)];
                Set(item, "$id", id);
                Set(item, "$lead", random.NextDouble() < 0.3 ? leadIds[random.Next(leadIds.Count)] : null);
                Set(item, "$title", EventTitles[random.Next(EventTitles.Length)]);
                Set(item, "$location", random.Next(2) == 0 ? string.Create(CultureInfo.InvariantCulture, $"Room {1 + random.Next(12)}") : null);
                Set(item, "$allDay", i < allDay ? 1 : 0);
                Set(item, "$start", Text(start));
                Set(item, "$end", Text(end));
                Set(item, "$creator", creator);
                Set(item, "$created", Text(Earliest(start, TaskBench.Now).AddDays(-random.Next(1, 30))));
                Set(item, "$version", NewVersion());
                item.ExecuteNonQuery();
                foreach (var person in people)
                {
                    Set(participant, "$event", id);
                    Set(participant, "$user", person);
                    participant.ExecuteNonQuery();
                }
            }
        }

        public async Task CommitAsync()
        {
            if (transaction is not null)
            {
                await transaction.CommitAsync();
                await transaction.DisposeAsync();
                transaction = null;
            }
        }

        private void Task(string assignee, DateTime deadline, DateTime? completed)
        {
            Start();
            var created = Earliest(deadline, completed ?? TaskBench.Now).AddMinutes(-random.Next(60, 30 * 1440));
            var reminder = random.Next(10) == 0 ? TaskReminder.None : TaskReminder.OneHourBefore;
            Set(task, "$lead", random.NextDouble() < 0.6 ? leadIds[random.Next(leadIds.Count)] : null);
            Set(task, "$assignee", assignee);
            Set(task, "$creator", random.Next(2) == 0 ? assignee : creators[random.Next(creators.Count)]);
            Set(task, "$type", typeIds[random.Next(typeIds.Count)]);
            Set(task, "$title", Titles[random.Next(Titles.Length)]);
            Set(task, "$description", random.Next(4) == 0 ? "Asked to be called in the afternoon; mention the early-booking discount." : null);
            Set(task, "$deadline", Text(deadline));
            Set(task, "$reminder", (int)reminder);
            Set(task, "$reminderDue", reminder == TaskReminder.None ? null : Text(deadline.AddHours(-1)));
            Set(task, "$completed", completed is { } done ? Text(done) : null);
            Set(task, "$completedBy", completed is null ? null : assignee);
            Set(task, "$created", Text(created));
            Set(task, "$updated", Text(completed ?? created));
            Set(task, "$version", NewVersion());
            task.ExecuteNonQuery();
            TaskCount++;
        }

        private void Start()
        {
            if (transaction is null || inTransaction >= 100_000)
            {
                transaction?.Commit();
                transaction?.Dispose();
                transaction = connection.BeginTransaction();
                foreach (var command in new[] { task, item, participant })
                {
                    command.Transaction = transaction;
                }

                inTransaction = 0;
            }

            inTransaction++;
        }

        /// <summary>A whole five minutes in [from, to).</summary>
        private DateTime Between(DateTime from, DateTime to)
        {
            var steps = (int)((to - from).TotalMinutes / 5);
            return from.AddMinutes(5 * random.Next(Math.Max(1, steps)));
        }

        private static DateTime Earliest(DateTime a, DateTime b) => a < b ? a : b;

        // As EF Core stores them on SQLite: DateTime as sortable text, Guid as upper-case text.
        private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

        private string NewVersion()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes).ToString().ToUpperInvariant();
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            return command;
        }

        private static void Set(SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;
    }
}
