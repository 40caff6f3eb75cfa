using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SchoolCrm.Web.Features.Account;

/// <summary>
/// How many sign-in attempts one client address may make (appsettings.json, section <c>SignInRateLimit</c>).
/// A token bucket: <see cref="Attempts"/> in a row (a whole office behind one router signing in at 8 o'clock),
/// then one more every <see cref="SecondsPerAttempt"/>. With the defaults one address can fail at most 5 times
/// in 25 minutes once its first 10 are spent, so it can lock an account (5 failures, 5 minutes) for at most
/// a fifth of the time instead of for good, and guessing a password is hopeless.
/// </summary>
public sealed class SignInRateLimitOptions
{
    public const string Section = "SignInRateLimit";

    public int Attempts { get; set; } = 10;

    public int SecondsPerAttempt { get; set; } = 300;
}

/// <summary>
/// Rate limits the sign-in form's posts per client address (the forwarded one behind a known proxy) with
/// ASP.NET Core's rate limiter. A refused attempt gets 429, Retry-After and a page in the user's language.
/// </summary>
public static class SignInRateLimit
{
    private const string NotLimited = "";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services)
    {
        services.AddOptions<SignInRateLimitOptions>()
            .BindConfiguration(SignInRateLimitOptions.Section)
            .Validate(o => o.Attempts > 0 && o.SecondsPerAttempt > 0, "SignInRateLimit: Attempts and SecondsPerAttempt must be above 0.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInRateLimitOptions>>((options, limit) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInAttempt(context.Request)
                    ? RateLimitPartition.GetTokenBucketLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limit.Value.Attempts,
                        TokensPerPeriod = 1,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(limit.Value.SecondsPerAttempt),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(NotLimited));
            options.OnRejected = (rejected, _) => RejectAsync(rejected, limit.Value);
        });
        return services;
    }

    /// <summary>Only the posts of the sign-in form count; loading the form does not.</summary>
    private static bool IsSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/account/login");

    /// <summary>
    /// The address an attempt counts against. IPv6 clients get a whole /64 each (that is what one home or office
    /// line gets; counting single addresses would give an attacker 2^64 fresh ones).
    /// </summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, SignInRateLimitOptions limit)
    {
        var http = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(limit.SecondsPerAttempt);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInRateLimit))
            .LogWarning("Sign-in attempts from {ClientAddress} refused for {Seconds} s: rate limit reached", ClientKey(http.Connection.RemoteIpAddress), seconds);

        var page = new RazorComponentResult<SignInLimitPage>(new Dictionary<string, object?>
        {
            [nameof(SignInLimitPage.Seconds)] = seconds,
            [nameof(SignInLimitPage.BackUrl)] = "/account/login" + http.Request.QueryString,
        })
        {
            StatusCode = StatusCodes.Status429TooManyRequests,
        };
        await page.ExecuteAsync(http);
    }
}
