using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Web.Features.Records;

/// <summary>
/// The comments and history of one record, read the same way for the lead page and the student page (a converted
/// lead's comments and history belong to its student too). The caller picks the rows: by lead or by student.
/// </summary>
public static class RecordQueries
{
    /// <summary>
    /// The given comments, newest first, with the author's name. <paramref name="editor"/> is the user who may edit
    /// here (their own comments, an admin any); null for a read-only view.
    /// </summary>
    public static async Task<IReadOnlyList<CommentItem>> CommentsAsync(
        CrmDbContext db, IQueryable<Comment> comments, Actor? editor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await comments.AsNoTracking()
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Select(c => new
            {
                c.Id,
                c.AuthorUserId,
                AuthorName = db.Users.Where(u => u.Id == c.AuthorUserId).Select(u => u.DisplayName).FirstOrDefault(),
                c.Text,
                c.CreatedAt,
                c.EditedAt,
            })
            .ToListAsync(ct);
        return [.. rows.Select(c => new CommentItem(
            c.Id,
            c.AuthorName ?? "",
            c.Text,
            c.CreatedAt,
            c.EditedAt,
            editor is not null && (editor.IsAdmin || c.AuthorUserId == editor.UserId)))];
    }

    /// <summary>The given history rows (a lead's or a student's), newest first, with user and value names resolved.</summary>
    public static async Task<IReadOnlyList<HistoryItem>> HistoryAsync(CrmDbContext db, IQueryable<HistoryEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await entries.AsNoTracking()
            .OrderByDescending(h => h.At).ThenByDescending(h => h.Id)
            .Select(h => new
            {
                h.Id,
                h.At,
                UserName = db.Users.Where(u => u.Id == h.UserId).Select(u => u.DisplayName).FirstOrDefault(),
                h.Field,
                h.OldValue,
                h.NewValue,
            })
            .ToListAsync(ct);
        var names = await HistoryNames.LoadAsync(db, rows.Select(r => (r.Field, r.OldValue, r.NewValue)), ct);
        return [.. rows.Select(r => names.Resolve(r.Id, r.At, r.UserName ?? "", r.Field, r.OldValue, r.NewValue))];
    }
}
