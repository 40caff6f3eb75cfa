using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Import;

public class LeadRowReaderTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static readonly CustomField Interests = Field("Interests", CustomFieldType.MultipleChoice, 7, "Music", "Sport");
    private static readonly CustomField Budget = Field("Budget", CustomFieldType.Number, 8);
    private static readonly CustomField Newsletter = Field("Newsletter", CustomFieldType.Checkbox, 9);

    private static LeadRowContext Context(params ImportTarget[] columns) => new()
    {
        Columns = columns,
        DateOrder = DateOrder.DayFirst,
        Today = Today,
        CustomFields = new Dictionary<int, CustomField> { [7] = Interests, [8] = Budget, [9] = Newsletter },
        StatusIds = new Dictionary<string, int> { ["NEU"] = 1, ["KONTAKTIERT"] = 2 },
        UserIdsByEmail = new Dictionary<string, string> { ["ANNA@SCHOOL.TEST"] = "u-anna" },
        UserIdsByName = new Dictionary<string, string?> { ["ANNA BIANCHI"] = "u-anna", ["MARCO ROSSI"] = null },
    };

    private static ImportTarget F(StandardField field) => ImportTarget.For(field);

    [Fact]
    public void Cells_of_every_kind_become_lead_values()
    {
        var context = Context(
            F(StandardField.FirstName), F(StandardField.Zip), F(StandardField.Mobile), F(StandardField.DateOfBirth),
            F(StandardField.CaptureDate), F(StandardField.PrivacyConsent), F(StandardField.Gender), F(StandardField.Status),
            F(StandardField.AssignedTo), F(StandardField.Notes));

        var row = LeadRowReader.Read(
            ["  Anna  ", 80100d, 393471234567d, 37014d, "03.05.2026", "ja", "weiblich", "kontaktiert", "Anna Bianchi", "'=1+1"],
            context);

        Assert.Empty(row.Errors);
        Assert.Equal("Anna", row.Patch.FirstName);
        Assert.Equal("80100", row.Patch.Zip);
        Assert.Equal("393471234567", row.Patch.Mobile);
        Assert.Equal(new DateOnly(2001, 5, 3), row.Patch.DateOfBirth);
        Assert.Equal(new DateOnly(2026, 5, 3), row.Patch.CaptureDate);
        Assert.True(row.Patch.PrivacyConsent);
        Assert.Equal(Gender.Female, row.Patch.Gender);
        Assert.Equal(2, row.StatusId);
        Assert.Equal("u-anna", row.AssignedUserId);
        Assert.Equal("=1+1", row.Patch.Notes);
    }

    [Fact]
    public void Custom_fields_are_read_by_their_type()
    {
        var context = Context(F(StandardField.FirstName), ImportTarget.ForCustomField(7), ImportTarget.ForCustomField(8), ImportTarget.ForCustomField(9));

        var row = LeadRowReader.Read(["Anna", "music; SPORT", "1.234,5", "x"], context);

        Assert.Empty(row.Errors);
        Assert.Equal([7, 8, 9], row.CustomFieldsGiven.Order());
        Assert.Equal(2, row.CustomValues.Count(v => v.CustomFieldId == 7));
        Assert.Equal(1234.5, row.CustomValues.Single(v => v.CustomFieldId == 8).NumberValue);
        Assert.True(row.CustomValues.Single(v => v.CustomFieldId == 9).BoolValue);
    }

    [Fact]
    public void Bad_values_become_errors_with_column_and_value()
    {
        var context = Context(F(StandardField.FirstName), F(StandardField.DateOfBirth), F(StandardField.Status), F(StandardField.AssignedTo), ImportTarget.ForCustomField(7));

        var row = LeadRowReader.Read(["Anna", "31.02.2001", "Unbekannt", "Marco Rossi", "Chess"], context);

        Assert.Equal(
            [(1, ValueErrorCodes.DateImpossible, "31.02.2001"), (2, "status.unknown", "Unbekannt"), (3, "assignee.ambiguous", "Marco Rossi"), (4, "option.unknown", "Chess")],
            row.Errors.Select(e => (e.Column, e.Code, e.Value)));
    }

    [Fact]
    public void Unknown_statuses_are_kept_for_creation_when_the_user_allows_it()
    {
        var context = new LeadRowContext
        {
            Columns = [F(StandardField.FirstName), F(StandardField.Status)],
            DateOrder = DateOrder.DayFirst,
            Today = Today,
            CustomFields = new Dictionary<int, CustomField>(),
            StatusIds = new Dictionary<string, int>(),
            CreateMissingStatuses = true,
            UserIdsByEmail = new Dictionary<string, string>(),
            UserIdsByName = new Dictionary<string, string?>(),
        };

        var row = LeadRowReader.Read(["Anna", "Open day"], context);

        Assert.Empty(row.Errors);
        Assert.Equal("Open day", row.NewStatusName);
    }

    [Fact]
    public void An_empty_row_is_recognised()
    {
        var row = LeadRowReader.Read([null, "  ", ""], Context(F(StandardField.FirstName), F(StandardField.LastName), F(StandardField.City)));

        Assert.True(row.IsEmpty);
    }

    [Fact]
    public void A_new_lead_needs_a_first_name_but_an_update_does_not()
    {
        var context = Context(F(StandardField.FirstName), F(StandardField.Email));
        var forNew = LeadRowReader.Read(["", "anna@school.test"], context);
        var forUpdate = LeadRowReader.Read(["", "anna@school.test"], context);

        LeadRowReader.Check(forNew, LeadRowReader.NewLeadDefaults(Today), isNewLead: true, context);
        LeadRowReader.Check(forUpdate, LeadRowReader.ExistingLeadStandIn(Today), isNewLead: false, context);

        var error = Assert.Single(forNew.Errors);
        Assert.Equal((0, "required"), (error.Column, error.Code));
        Assert.Empty(forUpdate.Errors);
    }

    [Fact]
    public void The_lead_rules_run_on_the_result_and_name_the_column()
    {
        var context = Context(F(StandardField.FirstName), F(StandardField.Email), F(StandardField.DateOfBirth));
        var row = LeadRowReader.Read(["Anna", "not-an-address", "01.01.2030"], context);

        LeadRowReader.Check(row, LeadRowReader.NewLeadDefaults(Today), isNewLead: true, context);

        Assert.Equal([(1, "email.invalid", "not-an-address"), (2, "date.in_future", "2030-01-01")], row.Errors.Select(e => (e.Column, e.Code, e.Value)));
    }

    [Fact]
    public void An_update_keeps_what_the_row_leaves_empty()
    {
        var context = Context(F(StandardField.FirstName), F(StandardField.Phone), F(StandardField.City));
        var row = LeadRowReader.Read(["", "", "Napoli"], context);
        var existing = new PersonDetails { FirstName = "Anna", Phone = "081 123", City = "Roma", CaptureDate = Today };

        var cleaned = LeadRowReader.Check(row, existing, isNewLead: false, context);

        Assert.Equal(("Anna", "081 123", "Napoli"), (cleaned.FirstName, cleaned.Phone, cleaned.City));
    }

    private static CustomField Field(string name, CustomFieldType type, int id, params string[] options)
    {
        var field = new CustomField(name, type, 0, isRequired: false);
        typeof(CustomField).GetProperty(nameof(CustomField.Id))!.SetValue(field, id);
        var optionId = id * 100;
        foreach (var label in options)
        {
            var option = field.AddOption(label);
            typeof(CustomFieldOption).GetProperty(nameof(CustomFieldOption.Id))!.SetValue(option, ++optionId);
        }

        return field;
    }
}
