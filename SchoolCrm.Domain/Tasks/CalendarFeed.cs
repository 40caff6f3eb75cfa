using System.Security.Cryptography;
using System.Text;

namespace SchoolCrm.Domain.Tasks;

/// <summary>
/// A user's private iCal subscription: the feed of their tasks and events at a secret address. Only the SHA-256 of
/// the token is stored, so neither a copy of the database nor a backup reveals a working address; a token is 256
/// random bits, so a fast hash suffices (nothing to brute-force). One per user: rotating gives the row a new token,
/// revoking deletes it, and the old address answers 404 from the next request on.
/// </summary>
public sealed class CalendarFeed
{
    /// <summary>Random bytes in a token: 256 bits, written as 43 URL-safe characters.</summary>
    public const int TokenBytes = 32;

    /// <summary>The stored hash: 64 lower-case hex digits.</summary>
    public const int HashLength = 64;

    private CalendarFeed()
    {
        UserId = "";
        TokenHash = "";
    }

    public int Id { get; private set; }

    public string UserId { get; private set; }

    public string TokenHash { get; private set; }

    /// <summary>When the current token was issued (UTC): created or last rotated.</summary>
    public DateTime IssuedAt { get; private set; }

    /// <summary>A feed for the user with a fresh token; the token itself is returned once and never stored.</summary>
    public static (CalendarFeed Feed, string Token) Create(string userId, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var feed = new CalendarFeed { UserId = userId };
        return (feed, feed.Rotate(nowUtc));
    }

    /// <summary>Replaces the token: the previous one stops working. Returns the new one.</summary>
    public string Rotate(DateTime nowUtc)
    {
        var token = NewToken();
        TokenHash = Hash(token);
        IssuedAt = nowUtc;
        return token;
    }

    /// <summary>The stored form of a token, also how a request's token is looked up.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    private static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
