namespace SchoolCrm.Domain.Leads;

/// <summary>A note on a lead; when the lead becomes a student the comment belongs to the student too.</summary>
public sealed class Comment
{
    public const int TextMaxLength = 4000;

    private Comment()
    {
        AuthorUserId = "";
        Text = "";
    }

    public int Id { get; private set; }

    public int? LeadId { get; private set; }

    public int? StudentId { get; private set; }

    public string AuthorUserId { get; private set; }

    public string Text { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? EditedAt { get; private set; }

    public static Comment OnLead(int leadId, string authorUserId, string text, DateTime nowUtc) =>
        new() { LeadId = leadId, AuthorUserId = authorUserId, Text = Clean(text), CreatedAt = nowUtc };

    public static Comment OnStudent(int studentId, string authorUserId, string text, DateTime nowUtc) =>
        new() { StudentId = studentId, AuthorUserId = authorUserId, Text = Clean(text), CreatedAt = nowUtc };

    public void Edit(string text, string byUserId, bool byAdmin, DateTime nowUtc)
    {
        if (byUserId != AuthorUserId && !byAdmin)
        {
            throw new DomainException("comment.not_author");
        }

        var cleaned = Clean(text);
        if (cleaned != Text)
        {
            Text = cleaned;
            EditedAt = nowUtc;
        }
    }

    private static string Clean(string text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainException("required", nameof(Text));
        }

        if (trimmed.Length > TextMaxLength)
        {
            throw new DomainException("text.too_long", nameof(Text));
        }

        return trimmed;
    }
}
