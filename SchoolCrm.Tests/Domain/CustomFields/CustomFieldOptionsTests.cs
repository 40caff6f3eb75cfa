using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;

namespace SchoolCrm.Tests.Domain.CustomFields;

public sealed class CustomFieldOptionsTests
{
    private static CustomField Interests()
    {
        var field = new CustomField("Interests", CustomFieldType.MultipleChoice, 0, false);
        field.AddOption("Music");
        field.AddOption("Art");
        return field;
    }

    [Fact]
    public void Renaming_an_option_to_another_options_label_is_refused_ignoring_case()
    {
        var field = Interests();

        var error = Assert.Throws<DomainException>(() => field.RenameOption(field.Options[1], " music "));

        Assert.Equal("customfield.option.duplicate", error.Code);
        Assert.Equal("Art", field.Options[1].Label);
    }

    [Fact]
    public void Renaming_an_option_trims_and_may_change_only_its_case()
    {
        var field = Interests();

        field.RenameOption(field.Options[0], "  MUSIC ");

        Assert.Equal("MUSIC", field.Options[0].Label);
    }

    [Fact]
    public void The_last_option_of_a_choice_field_cannot_be_removed()
    {
        var field = Interests();
        field.RemoveOption(field.Options[0]);

        var error = Assert.Throws<DomainException>(() => field.RemoveOption(field.Options[0]));

        Assert.Equal("customfield.options.required", error.Code);
        Assert.Equal(["Art"], field.Options.Select(o => o.Label));
    }

    [Fact]
    public void An_option_of_another_field_is_not_touched()
    {
        var field = Interests();
        var other = Interests();

        var error = Assert.Throws<DomainException>(() => field.RemoveOption(other.Options[0]));

        Assert.Equal("stale", error.Code);
        Assert.Equal(2, field.Options.Count);
    }

    [Fact]
    public void Options_are_only_for_choice_fields()
    {
        var field = new CustomField("Age", CustomFieldType.Number, 0, false);

        var error = Assert.Throws<DomainException>(() => field.AddOption("Ten"));

        Assert.Equal("customfield.options.not_allowed", error.Code);
    }
}
