using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Students;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads;
using SchoolCrm.Web.Features.Records;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.Students;

/// <summary>The student list and the student page. Every signed-in user may read students.</summary>
public sealed class StudentService(IDbContextFactory<CrmDbContext> dbFactory, CurrentUser currentUser)
{
    public static readonly IReadOnlyList<int> PageSizes = [25, 50, 100];

    public async Task<StudentListPage> ListAsync(StudentListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var students = PersonSearch.Apply(db.Students.AsNoTracking(), query.Search);
        var total = await students.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, PageSizes[^1]);
        var items = await Sort(students, query.Sort, query.Descending)
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .Select(s => new StudentListItem(s.Id, s.FirstName, s.LastName, s.CompanyName, s.Email, s.Phone, s.Mobile, s.City, s.EnrolmentDate))
            .ToListAsync(ct);
        return new StudentListPage(items, total);
    }

    /// <summary>
    /// The student with the active custom fields and its values, and the comments and history carried over from
    /// the lead (newest first), resolved the way the lead page resolves them. Null when there is no such student.
    /// </summary>
    public async Task<StudentDetails?> GetAsync(int id, CancellationToken ct = default)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var row = await db.Students.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new
            {
                Student = s,
                CreatedByName = db.Users.Where(u => u.Id == s.CreatedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
                UpdatedByName = db.Users.Where(u => u.Id == s.UpdatedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var fields = (await CustomValueStore.LoadFieldsAsync(db, ct)).Where(f => !f.IsArchived).ToList();
        var values = await CustomValueStore.LoadInputsAsync(db.CustomFieldValues.Where(v => v.StudentId == id), ct);

        // The student page is a read view for now, so nobody edits comments from there.
        var comments = await RecordQueries.CommentsAsync(db, db.Comments.Where(c => c.StudentId == id), editor: null, ct);

        var student = row.Student;
        return new StudentDetails(
            student.Id,
            student.Details,
            student.PrivacyConsentAt,
            student.EnrolmentDate,
            student.ConvertedFromLeadId,
            row.CreatedByName ?? "",
            student.CreatedAt,
            row.UpdatedByName ?? "",
            student.UpdatedAt,
            fields,
            values,
            comments,
            await RecordQueries.HistoryAsync(db, db.History.Where(h => h.StudentId == id), ct));
    }

    // Texts sort by their folded keys, as in the lead list: "Ömer" with O, case-insensitively.
    internal static IQueryable<Student> Sort(IQueryable<Student> students, StudentSort sort, bool descending) => (sort, descending) switch
    {
        (StudentSort.EnrolmentDate, false) => students.OrderBy(s => s.EnrolmentDate).ThenBy(s => s.Id),
        (StudentSort.EnrolmentDate, true) => students.OrderByDescending(s => s.EnrolmentDate).ThenByDescending(s => s.Id),
        (StudentSort.Email, false) => students.OrderBy(s => s.EmailKey).ThenBy(s => s.Id),
        (StudentSort.Email, true) => students.OrderByDescending(s => s.EmailKey).ThenByDescending(s => s.Id),
        (StudentSort.City, false) => students.OrderBy(s => s.CityKey).ThenBy(s => s.Id),
        (StudentSort.City, true) => students.OrderByDescending(s => s.CityKey).ThenByDescending(s => s.Id),
        (_, false) => students.OrderBy(s => s.LastNameKey).ThenBy(s => s.FirstNameKey).ThenBy(s => s.Id),
        (_, true) => students.OrderByDescending(s => s.LastNameKey).ThenByDescending(s => s.FirstNameKey).ThenByDescending(s => s.Id),
    };
}
