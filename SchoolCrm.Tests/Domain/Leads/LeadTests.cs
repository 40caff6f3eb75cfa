using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Leads;

public class LeadTests
{
    private static readonly DateTime Now = new(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    private static Lead NewLead() =>
        Lead.Create(new PersonDetails { FirstName = "Anna", CaptureDate = new DateOnly(2025, 3, 1) }, 1, null, "u1", Now);

    [Fact]
    public void Every_change_gets_a_new_version()
    {
        var lead = NewLead();
        var first = lead.Version;

        lead.ChangeStatus(2, "u2", Now.AddMinutes(1));

        Assert.NotEqual(first, lead.Version);
        Assert.Equal("u2", lead.UpdatedByUserId);
        Assert.Equal(Now.AddMinutes(1), lead.UpdatedAt);
    }

    [Fact]
    public void Setting_the_same_status_or_assignee_changes_nothing()
    {
        var lead = NewLead();
        var version = lead.Version;

        Assert.Null(lead.ChangeStatus(1, "u2", Now));
        Assert.Null(lead.AssignTo(null, "u2", Now));
        Assert.Equal(version, lead.Version);
    }

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
    public void Update_lists_each_changed_standard_field()
    {
        var lead = NewLead();

        var changes = lead.Update(lead.Details with { LastName = "Rossi", Zip = "01234", PrivacyConsent = true }, "u2", Now);

        Assert.Equal(["LastName", "Zip", "PrivacyConsent"], changes.Select(c => c.Field));
        Assert.Equal("01234", lead.Zip);
        Assert.Equal(Now, lead.PrivacyConsentAt);
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
    public void A_converted_lead_cannot_be_changed()
    {
        var lead = NewLead();
        lead.MarkConverted("u1", Now);

        var error = Assert.Throws<DomainException>(() => lead.ChangeStatus(2, "u1", Now));
        Assert.Equal("lead.already_converted", error.Code);
        Assert.Throws<DomainException>(() => lead.SetCustomValues(CustomValueRules.Check([], []), "u1", Now));
    }
}
