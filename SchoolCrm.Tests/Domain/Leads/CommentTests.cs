using SchoolCrm.Domain;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Leads;

public class CommentTests
{
    private static readonly DateTime Now = new(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_author_edits_and_the_comment_is_marked_edited()
    {
        var comment = Comment.OnLead(1, "author", " Called back ", Now);

        comment.Edit("Called back, no answer", "author", byAdmin: false, Now.AddHours(1));

        Assert.Equal("Called back, no answer", comment.Text);
        Assert.Equal(Now.AddHours(1), comment.EditedAt);
    }

    [Fact]
    public void Saving_the_same_text_is_not_an_edit()
    {
        var comment = Comment.OnLead(1, "author", "Called back", Now);

        comment.Edit("  Called back ", "author", byAdmin: false, Now.AddHours(1));

        Assert.Null(comment.EditedAt);
    }

    [Fact]
    public void Another_operator_cannot_edit_but_an_admin_can()
    {
        var comment = Comment.OnLead(1, "author", "Called back", Now);

        var error = Assert.Throws<DomainException>(() => comment.Edit("Mine now", "other", byAdmin: false, Now));
        Assert.Equal("comment.not_author", error.Code);

        comment.Edit("Fixed a typo", "admin", byAdmin: true, Now);
        Assert.Equal("Fixed a typo", comment.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_comment_is_refused(string text)
    {
        Assert.Equal("required", Assert.Throws<DomainException>(() => Comment.OnLead(1, "a", text, Now)).Code);
    }

    [Fact]
    public void A_comment_longer_than_the_limit_is_refused()
    {
        var error = Assert.Throws<DomainException>(() => Comment.OnLead(1, "a", new string('x', Comment.TextMaxLength + 1), Now));

        Assert.Equal("text.too_long", error.Code);
    }
}
