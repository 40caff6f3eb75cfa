using SchoolCrm.Domain.CustomFields;

namespace SchoolCrm.Tests.Domain.CustomFields;

public sealed class CustomFieldValueTests
{
    [Fact]
    public void Every_way_a_text_value_is_made_sets_its_folded_key()
    {
        var typed = CustomFieldValue.Text(1, "  Über   CAFÉ ");
        var restored = CustomFieldValue.Restore(typed.Snapshot());
        var copied = typed.CopyForNewOwner();

        Assert.Equal("uber cafe", typed.TextKey);
        Assert.Equal("uber cafe", restored.TextKey);
        Assert.Equal("uber cafe", copied.TextKey);
    }

    [Fact]
    public void A_value_without_text_has_no_key_and_a_blank_text_an_empty_one()
    {
        Assert.Null(CustomFieldValue.Number(1, 5).TextKey);
        Assert.Null(CustomFieldValue.Restore(new CustomValueSnapshot(1, null, 5, null, null, null)).TextKey);
        Assert.Equal("", CustomFieldValue.Text(1, "   ").TextKey);
    }
}
