using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace SchoolCrm.Web.Features.Tasks.Feed;

public static class CalendarFeedEndpoints
{
    /// <summary>Where the feeds are; the token follows, then ".ics" (some clients look at the ending).</summary>
    public const string PathPrefix = "/calendar/feed/";

    public static IEndpointRouteBuilder MapCalendarFeedEndpoints(this IEndpointRouteBuilder app)
    {
        // Calendar programs cannot sign in: the token in the address is the only key, and it opens this feed only.
        app.MapMethods(PathPrefix + "{token}.ics", [HttpMethods.Get, HttpMethods.Head], FeedAsync).AllowAnonymous();
        return app;
    }

    /// <summary>The address of a feed, under the site's base address (as the browser sees it, e.g. behind a proxy).</summary>
    public static string FeedUrl(string baseUri, string token) => baseUri.TrimEnd('/') + PathPrefix + token + ".ics";

    /// <summary>A request path as the request log writes it: a feed's token is a password and stays out of logs.</summary>
    public static string Redacted(string path) =>
        path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase) ? PathPrefix + "***" : path;

    private static async Task<IResult> FeedAsync(HttpContext context, string token, CalendarFeedService feeds, CancellationToken ct)
    {
        // A calendar program gets a bare 404, not the app's "not found" page.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        var request = context.Request;
        var site = new Uri(request.Scheme + "://" + request.Host.ToUriComponent() + request.PathBase.ToUriComponent() + "/");
        var feed = await feeds.RenderAsync(token, site, ct);
        if (feed is null)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.GetTypedHeaders();
        headers.ETag = new EntityTagHeaderValue(feed.ETag);
        headers.LastModified = feed.LastModified;
        // Every client asks again (cheaply, with its validators); no shared cache keeps a private feed.
        headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };
        if (NotModified(request.GetTypedHeaders(), feed))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Text(feed.Body, "text/calendar; charset=utf-8");
    }

    /// <summary>RFC 9110 §13.2.2: If-None-Match decides when present, If-Modified-Since only without it.</summary>
    private static bool NotModified(RequestHeaders request, FeedDocument feed)
    {
        if (request.IfNoneMatch is { Count: > 0 } tags)
        {
            var current = new EntityTagHeaderValue(feed.ETag);
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
        }

        return request.IfModifiedSince is { } since && feed.LastModified <= since;
    }
}
