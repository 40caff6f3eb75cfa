using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Web.Data;

namespace SchoolCrm.Web.Features.Tasks.Feed;

/// <summary>
/// The validators a calendar client asks with. The ETag is a hash of the feed's text, so it changes exactly when the
/// text does (an edit, a deletion, a renamed lead, an item leaving the window). Last-Modified is when the app first
/// served that text: nothing else stores "when did anything in this feed change" (a deleted task leaves no row), so
/// the pair is kept in <see cref="CalendarFeedVersion"/>, in the database, where every app node reads and moves the
/// same one: a client sent alternately to two nodes gets the same validators from both and a 304 from either.
/// </summary>
public sealed class CalendarFeedVersions(IDbContextFactory<CrmDbContext> dbFactory)
{
    /// <summary>Two nodes moving the same feed at once: the loser reads the winner's row and tries again.</summary>
    private const int Attempts = 5;

    /// <summary>The ETag of <paramref name="body"/> and since when feed <paramref name="feedId"/> has had it.</summary>
    public async Task<(string ETag, DateTimeOffset LastModified)> ObserveAsync(int feedId, string body, DateTime nowUtc, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var etag = ETagOf(body);
        var now = WholeSeconds(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc));
        for (int attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var old = await db.CalendarFeedVersions.AsNoTracking()
                .Where(v => v.FeedId == feedId)
                .Select(v => new { v.ETag, v.SinceUtc })
                .FirstOrDefaultAsync(ct);
            if (old is not null && old.ETag == etag)
            {
                return (etag, AsUtc(old.SinceUtc));
            }

            // HTTP dates have whole seconds: a change within the second of the last one still moves the date on,
            // so a client that asks If-Modified-Since that second gets the new text.
            var since = old is null || now > old.SinceUtc ? now : old.SinceUtc.AddSeconds(1);
            try
            {
                if (old is null)
                {
                    db.CalendarFeedVersions.Add(new CalendarFeedVersion { FeedId = feedId, ETag = etag, SinceUtc = since });
                    await db.SaveChangesAsync(ct);
                    return (etag, AsUtc(since));
                }

                // Conditional: only the node that saw the old ETag moves it, so two nodes never both start a version.
                var moved = await db.CalendarFeedVersions
                    .Where(v => v.FeedId == feedId && v.ETag == old.ETag)
                    .ExecuteUpdateAsync(s => s.SetProperty(v => v.ETag, etag).SetProperty(v => v.SinceUtc, since), ct);
                if (moved == 1)
                {
                    return (etag, AsUtc(since));
                }
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another node inserted the first version of this feed in the meantime.
            }

            if (attempt >= Attempts)
            {
                // The feed keeps changing under our feet: answer with this text's ETag; the date is still right.
                return (etag, AsUtc(since));
            }
        }
    }

    public static string ETagOf(string body) =>
        "\"" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0, 18).Replace('+', '-').Replace('/', '_') + "\"";

    private static DateTimeOffset AsUtc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static DateTime WholeSeconds(DateTime value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));
}

/// <summary>The ETag a calendar feed last had and since when (UTC, whole seconds); one row per feed.</summary>
public sealed class CalendarFeedVersion
{
    /// <summary>A quoted base64url SHA-256 prefix: 26 characters.</summary>
    public const int ETagLength = 32;

    public int FeedId { get; set; }

    public string ETag { get; set; } = "";

    public DateTime SinceUtc { get; set; }
}
