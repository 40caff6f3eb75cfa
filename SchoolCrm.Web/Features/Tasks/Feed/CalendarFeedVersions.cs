using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SchoolCrm.Web.Features.Tasks.Feed;

/// <summary>
/// The validators a calendar client asks with. The ETag is a hash of the feed's text, so it changes exactly when the
/// text does (an edit, a deletion, a renamed lead, an item leaving the window). Last-Modified is when this process
/// first served that text: nothing stores "when did anything in this feed change" (a deleted task leaves no row), so
/// the time is remembered here. After a restart every feed counts as changed at its first request, which costs each
/// client one full download and is never wrong. One app process is the supported set-up (README).
/// </summary>
public sealed class CalendarFeedVersions
{
    private readonly ConcurrentDictionary<int, (string ETag, DateTimeOffset Since)> seen = new();

    /// <summary>The ETag of <paramref name="body"/> and since when feed <paramref name="feedId"/> has had it.</summary>
    public (string ETag, DateTimeOffset LastModified) Observe(int feedId, string body, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(body);
        var etag = "\"" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0, 18)
            .Replace('+', '-').Replace('/', '_') + "\"";
        var now = WholeSeconds(new DateTimeOffset(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc)));
        var entry = seen.AddOrUpdate(
            feedId,
            _ => (etag, now),
            // HTTP dates have whole seconds: a change within the second of the last one still moves the date on,
            // so a client that asks If-Modified-Since that second gets the new text.
            (_, old) => old.ETag == etag ? old : (etag, now > old.Since ? now : old.Since.AddSeconds(1)));
        return (entry.ETag, entry.Since);
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));
}
