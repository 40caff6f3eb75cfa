using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Students;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.Students;

/// <summary>The student list and the student page. Every signed-in user may read students.</summary>
public sealed class StudentService(IDbContextFactory<CrmDbContext> dbFactory, CurrentUser currentUser)
{
    public static readonly IReadOnlyList<int> PageSizes = [25, 50, 100];

    public const string CustomFieldHistoryPrefix = "CustomField:";

    public async Task<StudentListPage> ListAsync(StudentListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var students = Search(db.Students.AsNoTracking(), query.Search);
        var total = await students.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, PageSizes[^1]);
        var items = await Sort(students, query.Sort, query.Descending)
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .Select(s => new StudentListItem(s.Id, s.FirstName, s.LastName, s.CompanyName, s.Email, s.Phone, s.Mobile, s.City, s.EnrolmentDate))
            .ToListAsync(ct);
        return new StudentListPage(items, total);
    }

    public async Task<StudentDetails?> GetAsync(int id, CancellationToken ct = default)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (student is null)
        {
            return null;
        }

        var comments = await db.Comments.AsNoTracking()
            .Where(c => c.StudentId == id)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id, c.AuthorUserId, c.Text, c.CreatedAt, c.EditedAt })
            .ToListAsync(ct);
        var history = await db.History.AsNoTracking()
            .Where(h => h.StudentId == id)
            .OrderByDescending(h => h.At).ThenByDescending(h => h.Id)
            .Select(h => new { h.At, h.UserId, h.Field, h.OldValue, h.NewValue })
            .ToListAsync(ct);

        var userIds = comments.Select(c => c.AuthorUserId)
            .Concat(history.Select(h => h.UserId))
            .Concat(history.Where(h => h.Field == nameof(Lead.AssignedToUserId)).SelectMany(h => new[] { h.OldValue, h.NewValue }).OfType<string>())
            .Append(student.CreatedByUserId)
            .Append(student.UpdatedByUserId)
            .Distinct()
            .ToList();
        var users = await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName != "" ? u.DisplayName : u.Email })
            .ToDictionaryAsync(u => u.Id, u => u.Name ?? u.Id, ct);
        var statuses = await db.LeadStatuses.AsNoTracking().ToDictionaryAsync(s => s.Id.ToString(CultureInfo.InvariantCulture), s => s.Name, ct);
        var fieldNames = await db.CustomFields.AsNoTracking().ToDictionaryAsync(f => CustomFieldHistoryPrefix + f.Id.ToString(CultureInfo.InvariantCulture), f => f.Name, ct);

        string UserName(string userId) => users.GetValueOrDefault(userId, userId);

        // Status and operator changes are stored as ids; the page shows what they stand for today.
        string? Value(string field, string? value) => value is null ? null : field switch
        {
            nameof(Lead.StatusId) => statuses.GetValueOrDefault(value, value),
            nameof(Lead.AssignedToUserId) => UserName(value),
            _ => value,
        };

        return new StudentDetails(
            student.Id,
            student.Details,
            student.PrivacyConsentAt,
            student.EnrolmentDate,
            student.ConvertedFromLeadId,
            UserName(student.CreatedByUserId),
            student.CreatedAt,
            UserName(student.UpdatedByUserId),
            student.UpdatedAt,
            await CustomValuesAsync(db, id, ct),
            [.. comments.Select(c => new StudentComment(c.Id, UserName(c.AuthorUserId), c.Text, c.CreatedAt, c.EditedAt))],
            [.. history.Select(h => new StudentHistoryItem(
                h.At,
                UserName(h.UserId),
                h.Field,
                fieldNames.GetValueOrDefault(h.Field),
                Value(h.Field, h.OldValue),
                Value(h.Field, h.NewValue)))]);
    }

    /// <summary>Every active field in order, with the student's value when there is one.</summary>
    private static async Task<IReadOnlyList<StudentCustomValue>> CustomValuesAsync(CrmDbContext db, int studentId, CancellationToken ct)
    {
        var fields = await db.CustomFields.AsNoTracking()
            .Where(f => !f.IsArchived)
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
            .Select(f => new { f.Id, f.Name, f.Type })
            .ToListAsync(ct);
        var values = await db.CustomFieldValues.AsNoTracking()
            .Where(v => v.StudentId == studentId)
            .Select(v => new
            {
                v.CustomFieldId,
                v.TextValue,
                v.NumberValue,
                v.DateValue,
                v.BoolValue,
                Option = db.CustomFieldOptions.Where(o => o.Id == v.OptionId).Select(o => new { o.Label, o.SortOrder }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var byField = values.ToLookup(v => v.CustomFieldId);

        return [.. fields.Select(f =>
        {
            var own = byField[f.Id].ToList();
            var single = own.FirstOrDefault();
            return new StudentCustomValue(
                f.Id,
                f.Name,
                f.Type,
                single?.TextValue,
                single?.NumberValue,
                single?.DateValue,
                single?.BoolValue,
                [.. own.Where(v => v.Option is not null).OrderBy(v => v.Option!.SortOrder).Select(v => v.Option!.Label)]);
        })];
    }

    /// <summary>Every word must appear in a name, the company, the e-mail, a phone number or the tax code.</summary>
    [SuppressMessage("Globalization", "CA1304", Justification = "EF Core translates ToUpper() to SQL UPPER; the culture overloads do not translate.")]
    [SuppressMessage("Globalization", "CA1311", Justification = "As CA1304: this is SQL, not .NET string handling.")]
    [SuppressMessage("Performance", "CA1862", Justification = "Contains with a StringComparison does not translate to SQL.")]
    private static IQueryable<Student> Search(IQueryable<Student> students, string? search)
    {
        var words = (search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var word in words)
        {
            // Upper case on both sides: the same case-insensitive match on SQLite and PostgreSQL.
            var term = word.ToUpperInvariant();
            students = students.Where(s =>
                s.FirstName.ToUpper().Contains(term)
                || (s.LastName != null && s.LastName.ToUpper().Contains(term))
                || (s.CompanyName != null && s.CompanyName.ToUpper().Contains(term))
                || (s.Email != null && s.Email.ToUpper().Contains(term))
                || (s.Phone != null && s.Phone.Contains(term))
                || (s.Mobile != null && s.Mobile.Contains(term))
                || (s.TaxCode != null && s.TaxCode.Contains(term)));
        }

        return students;
    }

    private static IQueryable<Student> Sort(IQueryable<Student> students, StudentSort sort, bool descending) => (sort, descending) switch
    {
        (StudentSort.EnrolmentDate, false) => students.OrderBy(s => s.EnrolmentDate).ThenBy(s => s.Id),
        (StudentSort.EnrolmentDate, true) => students.OrderByDescending(s => s.EnrolmentDate).ThenByDescending(s => s.Id),
        (StudentSort.Email, false) => students.OrderBy(s => s.Email).ThenBy(s => s.Id),
        (StudentSort.Email, true) => students.OrderByDescending(s => s.Email).ThenByDescending(s => s.Id),
        (StudentSort.City, false) => students.OrderBy(s => s.City).ThenBy(s => s.Id),
        (StudentSort.City, true) => students.OrderByDescending(s => s.City).ThenByDescending(s => s.Id),
        (_, false) => students.OrderBy(s => s.LastName).ThenBy(s => s.FirstName).ThenBy(s => s.Id),
        (_, true) => students.OrderByDescending(s => s.LastName).ThenByDescending(s => s.FirstName).ThenByDescending(s => s.Id),
    };
}
