using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;

namespace SchoolCrm.Web.Features.Common;

/// <summary>
/// Runs a save that a person started from a page. A database that is busy (another writer kept the lock past the
/// busy timeout) or failed (disk full, I/O error, a constraint it refused) becomes the refusal
/// <see cref="FailedCode"/>, which every page already shows next to its form as "could not save, try again" while
/// keeping what was typed. Without this the exception reaches the error boundary, which replaces the page and so
/// drops the input. Domain refusals and any other exception pass through unchanged.
/// </summary>
public sealed class SaveGuard(ILogger<SaveGuard> logger)
{
    /// <summary>The <see cref="DomainException.Code"/> of a save the database did not take ("Error_save.failed").</summary>
    public const string FailedCode = "save.failed";

    public async Task RunAsync(Func<Task> save)
    {
        ArgumentNullException.ThrowIfNull(save);
        try
        {
            await save();
        }
        catch (Exception exception) when (IsDatabaseUnavailable(exception))
        {
            throw Refusal(exception);
        }
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> save)
    {
        ArgumentNullException.ThrowIfNull(save);
        try
        {
            return await save();
        }
        catch (Exception exception) when (IsDatabaseUnavailable(exception))
        {
            throw Refusal(exception);
        }
    }

    /// <summary>
    /// Provider-neutral: every ADO.NET provider's errors derive from <see cref="DbException"/> (SqliteException, later
    /// NpgsqlException), and EF Core wraps those met inside SaveChanges in <see cref="DbUpdateException"/>. A lost
    /// optimistic-concurrency race is not a database failure: the services turn it into their own "changed meanwhile".
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception exception) =>
        exception is DbException || (exception is DbUpdateException and not DbUpdateConcurrencyException);

    private DomainException Refusal(Exception exception)
    {
        logger.LogWarning(exception, "A save met a busy or failed database; the user was asked to try again");
        return new DomainException(FailedCode, exception);
    }
}
