using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Email;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Features.Tasks;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Email;

/// <summary>
/// <see cref="TasksApp"/> (fake clock, school in Europe/Rome) with e-mail on: SMTP to a <see cref="TestSmtpServer"/> of
/// its own on 127.0.0.1, links to https://crm.school.test, three attempts before an e-mail is given up.
/// </summary>
public sealed class EmailApp : TasksApp
{
    public const string PublicUrl = "https://crm.school.test";

    public const int MaxAttempts = 3;

    public EmailApp()
    {
        Smtp.StartAsync().GetAwaiter().GetResult();
        WithSetting("Smtp:Host", "127.0.0.1");
        WithSetting("Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WithSetting("Smtp:TlsMode", "None");
        WithSetting("Smtp:FromAddress", "crm@school.test");
        WithSetting("Smtp:FromName", "School CRM");
        WithSetting("Smtp:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WithSetting("School:PublicUrl", PublicUrl + "/");
    }

    public TestSmtpServer Smtp { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

internal static class EmailTestData
{
    public static async Task SetCultureAsync(this CrmAppFactory app, AppUser user, string culture)
    {
        await using var db = app.Db();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Culture, culture));
    }

    public static async Task<List<OutgoingEmail>> OutboxAsync(this CrmAppFactory app, AppUser user)
    {
        await using var db = app.Db();
        return await db.OutgoingEmails.AsNoTracking().Where(e => e.ToAddress == user.Email).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Waits (30 s at the most) until the user's only outbox row satisfies <paramref name="condition"/>.</summary>
    public static async Task<OutgoingEmail> WaitForOutboxAsync(this CrmAppFactory app, AppUser user, Func<OutgoingEmail, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = await app.OutboxAsync(user);
            if (rows.Count == 1 && condition(rows[0]))
            {
                return rows[0];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Outbox of {user.Email}: {string.Join(", ", rows.Select(r => $"{r.Status}/{r.Attempts}"))}");
            }

            await Task.Delay(20);
        }
    }
}
