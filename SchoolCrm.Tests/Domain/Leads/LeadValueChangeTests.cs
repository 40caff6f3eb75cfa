using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Leads;

public class LeadValueChangeTests
{
    private static readonly DateTime Now = new(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    private static Lead NewLead() =>
        Lead.Create(new PersonDetails { FirstName = "Anna", CaptureDate = new DateOnly(2025, 3, 1) }, 1, null, "u1", Now);

    [Fact]
    public void Status_and_assignee_changes_say_from_what_to_what()
    {
        var lead = NewLead();

        var status = lead.ChangeStatus(3, "u2", Now);
        var assignee = lead.AssignTo("u9", "u2", Now);

        Assert.Equal(new FieldChange("StatusId", "1", "3"), status);
        Assert.Equal(new FieldChange("AssignedToUserId", null, "u9"), assignee);
    }

    [Fact]
    public void Saving_unchanged_details_keeps_the_version()
    {
        var lead = NewLead();
        var version = lead.Version;

        var changes = lead.Update(lead.Details, "u2", Now.AddDays(1));

        Assert.Empty(changes);
        Assert.Equal(version, lead.Version);
        Assert.Equal("u1", lead.UpdatedByUserId);
    }

    [Fact]
    public void Custom_values_that_change_touch_the_lead_and_unchanged_ones_do_not()
    {
        var lead = NewLead();
        CustomFieldDefinition[] fields = [new(5, "Evening classes", CustomFieldType.Checkbox, false, false, [])];
        var ticked = CustomValueRules.Check(fields, [CustomValueInput.OfCheckbox(5, true)]);

        var change = lead.SetCustomValues(ticked, "u2", Now);
        var version = lead.Version;
        var again = lead.SetCustomValues(CustomValueRules.Check(fields, [CustomValueInput.OfCheckbox(5, true)]), "u3", Now);

        Assert.Equal(new FieldChange("CustomField:5", null, "true"), Assert.Single(change.Changes));
        Assert.Empty(again.Changes);
        Assert.Equal(version, lead.Version);
        Assert.True(Assert.Single(lead.CustomValues).BoolValue);
    }

    [Fact]
    public void A_converted_lead_takes_no_custom_values()
    {
        var lead = NewLead();
        lead.MarkConverted("u1", Now);

        var error = Assert.Throws<DomainException>(() => lead.SetCustomValues(CustomValueRules.Check([], []), "u1", Now));
        Assert.Equal("lead.already_converted", error.Code);
    }
}
