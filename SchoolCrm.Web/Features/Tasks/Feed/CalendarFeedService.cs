using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Tasks.Feed;

/// <summary>
/// The iCal subscription: on the profile a user creates, rotates or revokes their private feed address; a calendar
/// program fetches the feed with the token in that address, without signing in. The token opens this feed only, of
/// an active user only; it never signs anybody in.
/// </summary>
public sealed class CalendarFeedService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    SchoolClock clock,
    CalendarFeedWriter writer,
    CalendarFeedVersions versions,
    ILogger<CalendarFeedService> logger)
{
    /// <summary>
    /// How far back the feed reaches: tasks due and events ending in the last year, and everything later. A calendar
    /// program keeps no copy of what drops out, and older items are still in the CRM; a year keeps the feed of a busy
    /// operator small enough to fetch every hour.
    /// </summary>
    public static readonly TimeSpan Reach = TimeSpan.FromDays(365);

    /// <summary>The current user's subscription, or null when they have none.</summary>
    public async Task<CalendarFeedState?> GetMineAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CalendarFeeds.AsNoTracking()
            .Where(f => f.UserId == actor.UserId)
            .Select(f => new CalendarFeedState(f.IssuedAt))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Creates the current user's subscription, or rotates it when there is one (the old address then answers 404).
    /// Returns the new token: it is shown once, only its hash is kept.
    /// </summary>
    public async Task<string> IssueAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var feed = await db.CalendarFeeds.FirstOrDefaultAsync(f => f.UserId == actor.UserId, ct);
        string token;
        if (feed is null)
        {
            (feed, token) = CalendarFeed.Create(actor.UserId, now);
            db.CalendarFeeds.Add(feed);
        }
        else
        {
            token = feed.Rotate(now);
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("User {UserId} issued a calendar feed token (feed {FeedId})", actor.UserId, feed.Id);
        return token;
    }

    /// <summary>Deletes the current user's subscription; its address answers 404 from now on.</summary>
    public async Task RevokeAsync(CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var removed = await db.CalendarFeeds.Where(f => f.UserId == actor.UserId).ExecuteDeleteAsync(ct);
        if (removed > 0)
        {
            logger.LogInformation("User {UserId} revoked their calendar feed", actor.UserId);
        }
    }

    /// <summary>
    /// The feed behind a token as iCalendar text, or null when no active user's subscription has that token.
    /// <paramref name="site"/> is the address the request came to (scheme, host, path base): the items link back to
    /// it, and their UIDs carry its host.
    /// </summary>
    public async Task<FeedDocument?> RenderAsync(string token, Uri site, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        var content = await ReadAsync(token, ct);
        if (content is null)
        {
            return null;
        }

        var body = writer.Write(content, clock.Zone, clock.UtcNow - Reach, site);
        var (etag, lastModified) = await versions.ObserveAsync(content.FeedId, body, clock.UtcNow, ct);
        return new FeedDocument(body, etag, lastModified);
    }

    /// <summary>The owner and items of the feed with this token; null for an unknown token or a disabled owner.</summary>
    public async Task<FeedContent?> ReadAsync(string token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = CalendarFeed.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var feed = await db.CalendarFeeds.AsNoTracking()
            .Where(f => f.TokenHash == hash)
            .Select(f => new
            {
                f.Id,
                f.UserId,
                Owner = db.Users.Where(u => u.Id == f.UserId && !u.IsDisabled).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (feed?.Owner is null)
        {
            return null;
        }

        var from = clock.UtcNow - Reach;
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => t.AssignedToUserId == feed.UserId && t.DeadlineUtc >= from)
            .OrderBy(t => t.DeadlineUtc).ThenBy(t => t.Id)
            .Select(t => new FeedTask(
                t.Id,
                t.Title,
                db.TaskTypes.Where(y => y.Id == t.TaskTypeId).Select(y => y.Name).FirstOrDefault() ?? "",
                t.DeadlineUtc,
                t.CompletedAt != null,
                t.UpdatedAt,
                db.Leads.Where(l => l.Id == t.LeadId).Select(l => l.FirstName).FirstOrDefault(),
                db.Leads.Where(l => l.Id == t.LeadId).Select(l => l.LastName).FirstOrDefault()))
            .ToListAsync(ct);
        var events = await EventService.OfUser(db, feed.UserId).AsNoTracking()
            .Where(e => e.EndUtc >= from)
            .OrderBy(e => e.StartUtc).ThenBy(e => e.Id)
            .Select(e => new FeedEvent(
                e.Id,
                e.Title,
                e.Location,
                e.AllDay,
                e.StartUtc,
                e.EndUtc,
                e.StartDate,
                e.EndDate,
                e.UpdatedAt,
                db.Leads.Where(l => l.Id == e.LeadId).Select(l => l.FirstName).FirstOrDefault(),
                db.Leads.Where(l => l.Id == e.LeadId).Select(l => l.LastName).FirstOrDefault()))
            .ToListAsync(ct);
        return new FeedContent(feed.Id, feed.Owner, tasks, events);
    }
}
