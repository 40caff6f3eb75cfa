using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Tasks;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Tasks;

/// <summary>
/// Events: create, edit, delete, and the lists of a user's calendar, "My events" and a lead's or student's page.
/// Anyone signed in creates; participants, the creator and admins edit; the creator and admins delete (as with
/// tasks); a user's calendar shows the events they take part in; only admins look at another operator's.
/// </summary>
public sealed class EventService(
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    SchoolClock clock,
    ILogger<EventService> logger)
{
    /// <summary>The prefix of this service's error codes ("event.not_found", "event.conflict").</summary>
    private const string Kind = "event";

    public async Task<int> CreateAsync(EventInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actor = await currentUser.GetAsync();
        var content = Content(input);
        var participants = ParticipantsOf(input, actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (input.LeadId is { } leadId)
        {
            await PlannedItems.EnsureOpenLeadAsync(db, leadId, ct);
        }

        foreach (var userId in participants)
        {
            await PlannedItems.EnsureAssignableAsync(db, userId, ct, nameof(EventInput.ParticipantIds));
        }

        var now = clock.UtcNow;
        var item = CrmEvent.Create(input.LeadId, content, actor.UserId, now);
        item.SetParticipants(participants, actor.UserId, now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Events.Add(item);
        AddHistory(db, item, TaskHistory.EventCreated, null, actor, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Event {EventId} created by {UserId}", item.Id, actor.UserId);
        return item.Id;
    }

    /// <summary>Saves the edit form; a version that moved on is refused with "event.conflict". Returns the new version.</summary>
    public async Task<Guid> UpdateAsync(int id, Guid version, EventInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actor = await currentUser.GetAsync();
        var content = Content(input);
        var participants = ParticipantsOf(input, actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await PlannedItems.LoadAsync(db.Events.Include(e => e.Participants), id, version, Kind, ct);

        // A disabled participant may stay; adding one is refused.
        foreach (var userId in participants.Except(item.Participants.Select(p => p.UserId)))
        {
            await PlannedItems.EnsureAssignableAsync(db, userId, ct, nameof(EventInput.ParticipantIds));
        }

        var now = clock.UtcNow;
        var oldTitle = item.Title;
        var changed = item.Edit(content, actor.UserId, actor.IsAdmin, now);
        changed |= item.SetParticipants(participants, actor.UserId, now);
        if (changed)
        {
            AddHistory(db, item, TaskHistory.EventChanged, oldTitle == item.Title ? null : oldTitle, actor, now);
            await SaveAsync(db, id, ct);
        }

        return item.Version;
    }

    public async Task DeleteAsync(int id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await PlannedItems.DeleteAsync<CrmEvent>(db, id, actor, clock.UtcNow, Kind, TaskHistory.EventDeleted, logger, ct);
    }

    public async Task<EventDetails?> GetAsync(int id, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await Items(db, db.Events.Where(e => e.Id == id), actor).FirstOrDefaultAsync(ct);
        if (item is null)
        {
            return null;
        }

        var rest = await db.Events.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new
            {
                e.Description,
                CreatedByName = db.Users.Where(u => u.Id == e.CreatedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .FirstAsync(ct);
        var participants = await db.EventParticipants.AsNoTracking().Where(p => p.EventId == id)
            .Join(db.Users, p => p.UserId, u => u.Id, (p, u) => u)
            .OrderBy(u => u.DisplayName)
            .Select(u => new EventParticipantItem(u.Id, u.DisplayName, u.IsDisabled))
            .ToListAsync(ct);
        return new EventDetails(item, rest.Description, rest.CreatedByName ?? "", participants);
    }

    /// <summary>The user's events (null: mine; another's: admins only) that overlap [from, to), by start.</summary>
    public async Task<IReadOnlyList<EventItem>> ListInRangeAsync(string? userId, DateTime fromUtc, DateTime toUtc, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        var owner = PlannedItems.OwnerFor(actor, userId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        return await Items(db, InRange(db, owner, fromUtc, toUtc), actor).ToListAsync(ct);
    }

    /// <summary>The calendar's events of <paramref name="owner"/> overlapping [from, to), by start.</summary>
    internal static IOrderedQueryable<CrmEvent> InRange(CrmDbContext db, string owner, DateTime fromUtc, DateTime toUtc) =>
        // Overlaps: starts before the end and ends after the start; an event of no length counts where it starts.
        OfUser(db, owner)
            .Where(e => e.StartUtc < toUtc && (e.EndUtc > fromUtc || e.StartUtc >= fromUtc))
            .OrderBy(e => e.StartUtc).ThenBy(e => e.Id);

    /// <summary>"My events": the upcoming ones (not ended yet) soonest first, or the past ones latest first.</summary>
    public async Task<IReadOnlyList<EventItem>> ListForUserAsync(string? userId, bool upcoming, int take = 50, CancellationToken ct = default)
    {
        var actor = await currentUser.GetAsync();
        var owner = PlannedItems.OwnerFor(actor, userId);
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Items(db, OfUserAround(db, owner, now, upcoming).Take(Math.Clamp(take, 1, 500)), actor).ToListAsync(ct);
    }

    /// <summary>"My events": not ended yet by start, or ended by start latest first.</summary>
    internal static IOrderedQueryable<CrmEvent> OfUserAround(CrmDbContext db, string owner, DateTime now, bool upcoming) =>
        upcoming
            ? OfUser(db, owner).Where(e => e.EndUtc >= now).OrderBy(e => e.StartUtc).ThenBy(e => e.Id)
            : OfUser(db, owner).Where(e => e.EndUtc < now).OrderByDescending(e => e.StartUtc).ThenByDescending(e => e.Id);

    /// <summary>A lead's events by start.</summary>
    public Task<IReadOnlyList<EventItem>> ListForLeadAsync(int leadId, CancellationToken ct = default) =>
        ListForRecordAsync(db => db.Events.Where(e => e.LeadId == leadId), ct);

    /// <summary>A student's events by start (those of the lead it was converted from included).</summary>
    public Task<IReadOnlyList<EventItem>> ListForStudentAsync(int studentId, CancellationToken ct = default) =>
        ListForRecordAsync(db => db.Events.Where(e => e.StudentId == studentId), ct);

    private async Task<IReadOnlyList<EventItem>> ListForRecordAsync(Func<CrmDbContext, IQueryable<CrmEvent>> pick, CancellationToken ct)
    {
        var actor = await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Items(db, pick(db).OrderBy(e => e.StartUtc).ThenBy(e => e.Id), actor).ToListAsync(ct);
    }

    /// <summary>
    /// Open (not converted) leads matching the text, for the event form's lead field: the quick search's rule, at
    /// most <paramref name="take"/>, by name. A converted lead takes no new events, so it is not offered.
    /// </summary>
    public async Task<IReadOnlyList<LeadChoice>> SearchLeadsAsync(string? text, int take = 20, CancellationToken ct = default)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await PersonSearch.Apply(db.Leads.AsNoTracking().Where(l => l.ConvertedAt == null), text)
            .OrderBy(l => l.LastName).ThenBy(l => l.FirstName).ThenBy(l => l.Id)
            .Take(Math.Clamp(take, 1, 100))
            .Select(l => new LeadChoice(l.Id, l.FirstName, l.LastName))
            .ToListAsync(ct);
    }

    private EventContent Content(EventInput input) =>
        (input.AllDay
            ? EventContent.AllDayEvent(input.Title, input.Location, input.Description, input.StartDate, input.EndDate, clock.Zone)
            : EventContent.Timed(
                input.Title,
                input.Location,
                input.Description,
                input.StartDate,
                input.StartTime ?? throw new DomainException("required", "Start"),
                input.EndDate,
                input.EndTime ?? throw new DomainException("required", "End"),
                clock.Zone)).Cleaned();

    private static List<string> ParticipantsOf(EventInput input, Actor actor)
    {
        var ids = (input.ParticipantIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0 ? [actor.UserId] : ids;
    }

    /// <summary>
    /// The events the user takes part in: their participant rows (IX_EventParticipants_UserId_EventId), then each event
    /// by its key. Written as IN, not EXISTS: with EXISTS SQLite read every event of everyone and looked for the user's
    /// row in each (about 1 s for a month view among 100,000 events, docs/benchmarks.md "Tasks and events").
    /// </summary>
    internal static IQueryable<CrmEvent> OfUser(CrmDbContext db, string userId) =>
        db.Events.Where(e => db.EventParticipants.Where(p => p.UserId == userId).Select(p => p.EventId).Contains(e.Id));

    internal static IQueryable<EventItem> Items(CrmDbContext db, IQueryable<CrmEvent> events, Actor actor) =>
        events.AsNoTracking().Select(e => new EventItem(
            e.Id,
            e.Title,
            e.Location,
            e.AllDay,
            e.StartUtc,
            e.EndUtc,
            e.StartDate,
            e.EndDate,
            e.LeadId,
            e.StudentId,
            db.Leads.Where(l => l.Id == e.LeadId).Select(l => l.FirstName).FirstOrDefault(),
            db.Leads.Where(l => l.Id == e.LeadId).Select(l => l.LastName).FirstOrDefault(),
            actor.IsAdmin || e.CreatedByUserId == actor.UserId || db.EventParticipants.Any(p => p.EventId == e.Id && p.UserId == actor.UserId),
            actor.IsAdmin || e.CreatedByUserId == actor.UserId,
            e.Version));

    private static void AddHistory(CrmDbContext db, CrmEvent item, string field, string? oldValue, Actor actor, DateTime now) =>
        PlannedItems.AddHistory(db, item, field, oldValue, actor, now);

    private Task SaveAsync(CrmDbContext db, int id, CancellationToken ct) => PlannedItems.SaveAsync(db, logger, Kind, id, ct);
}
