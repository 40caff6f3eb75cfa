using SchoolCrm.Domain;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Leads;

public sealed class LeadTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    private static Lead NewLead() =>
        Lead.Create(new PersonDetails { FirstName = "Anna", LastName = "Rossi", CaptureDate = new DateOnly(2026, 11, 27) }, 1, null, "u1", Now);

    [Fact]
    public void An_update_reports_each_changed_field_with_old_and_new_value()
    {
        var lead = NewLead();

        var changes = lead.Update(lead.Details with { LastName = "Bianchi", City = "Roma" }, "u2", Now.AddHours(1));

        Assert.Equal(
            [new FieldChange("LastName", "Rossi", "Bianchi"), new FieldChange("City", null, "Roma")],
            changes);
        Assert.Equal("u2", lead.UpdatedByUserId);
    }

    [Fact]
    public void A_lead_keeps_folded_search_and_sort_keys_in_step_with_its_fields()
    {
        var lead = NewLead();

        lead.Update(lead.Details with { FirstName = "Nicolò", LastName = "MÜLLER", Email = "N.Müller@Example.it", City = "Zürich", Mobile = "+39 347" }, "u2", Now);

        Assert.Equal("nicolo muller n.muller@example.it +39 347", lead.SearchText);
        Assert.Equal(("nicolo", "muller", "n.muller@example.it", "zurich"), (lead.FirstNameKey, lead.LastNameKey, lead.EmailKey, lead.CityKey));
        Assert.Null(lead.CompanyNameKey);
    }

    [Fact]
    public void Every_change_gives_a_new_concurrency_version()
    {
        var lead = NewLead();
        var before = lead.Version;

        lead.ChangeStatus(2, "u1", Now);

        Assert.NotEqual(before, lead.Version);
    }

    [Fact]
    public void Changing_to_the_same_status_or_assignee_records_nothing()
    {
        var lead = NewLead();

        Assert.Null(lead.ChangeStatus(1, "u1", Now));
        Assert.Null(lead.AssignTo(null, "u1", Now));
        Assert.Equal(new FieldChange("AssignedToUserId", null, "op"), lead.AssignTo("op", "u1", Now));
    }

    [Fact]
    public void Privacy_consent_records_when_it_was_given_and_forgets_it_when_withdrawn()
    {
        var lead = NewLead();

        lead.Update(lead.Details with { PrivacyConsent = true }, "u1", Now.AddDays(1));
        Assert.Equal(Now.AddDays(1), lead.PrivacyConsentAt);

        lead.Update(lead.Details with { PrivacyConsent = false }, "u1", Now.AddDays(2));
        Assert.Null(lead.PrivacyConsentAt);
    }

    [Fact]
    public void A_converted_lead_can_no_longer_be_changed()
    {
        var lead = NewLead();
        lead.MarkConverted("u1", Now);

        var error = Assert.Throws<DomainException>(() => lead.ChangeStatus(2, "u1", Now));
        Assert.Equal("lead.already_converted", error.Code);
    }
}
