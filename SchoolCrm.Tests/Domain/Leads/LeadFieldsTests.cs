using System.Reflection;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Tests.Domain.Leads;

public sealed class LeadFieldsTests
{
    // The fields a lead has besides the person's: what the list, the export and saved filters name.
    private static readonly string[] LeadOwnFields =
    [
        nameof(Lead.StatusId), nameof(Lead.AssignedToUserId), nameof(Lead.CreatedAt), nameof(Lead.CreatedByUserId),
        nameof(Lead.UpdatedAt), nameof(Lead.UpdatedByUserId),
    ];

    [Fact]
    public void Every_standard_field_of_a_lead_has_exactly_one_catalogue_entry_reading_that_property()
    {
        var fields = typeof(PersonDetails).GetProperties().Select(p => p.Name).Concat(LeadOwnFields).ToList();

        foreach (var name in fields)
        {
            var entry = Assert.Single(LeadFields.Standard, f => f.Name == name);
            Assert.Equal(typeof(Lead).GetProperty(name)!.PropertyType, entry.Value.ReturnType);
            Assert.Equal(typeof(Lead), Assert.Single(entry.Value.Parameters).Type);
        }

        // Nothing else but the list's name column.
        Assert.Equal(fields.Append(LeadFields.Name.Name).Order(StringComparer.Ordinal), LeadFields.Standard.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Keys_and_names_are_unique_and_the_list_keys_that_urls_hold_are_unchanged()
    {
        Assert.Equal(LeadFields.Standard.Count, LeadFields.Standard.Select(f => f.Key).Distinct().Count());
        Assert.Equal(LeadFields.Standard.Count, LeadFields.Standard.Select(f => f.Name).Distinct().Count());
        Assert.Equal(
            ["address", "assignee", "born", "captured", "city", "company", "created", "email", "gender", "mobile", "name", "phone", "privacy",
             "province", "status", "taxcode", "updated", "zip"],
            LeadFields.Listed.Select(f => f.Key).Order(StringComparer.Ordinal));
        Assert.Same(LeadFields.Name, LeadFields.Listed[0]);
        Assert.All(LeadFields.Standard, f => Assert.Same(f, LeadFields.ByKey(f.Key)));
        Assert.All(LeadFields.Standard, f => Assert.Same(f, LeadFields.ByName(f.Name)));
    }

    [Fact]
    public void The_importable_entries_are_the_import_fields_in_template_order()
    {
        Assert.Equal(Enum.GetValues<StandardField>(), LeadFields.Importable.Select(f => f.ImportTarget.Standard!.Value));
        Assert.All(Enum.GetValues<StandardField>(), f => Assert.Equal(f, LeadFields.ForImport(f).ImportTarget.Standard));
    }

    [Fact]
    public void Every_exported_column_can_be_imported_again()
    {
        Assert.All(LeadFields.Exportable, f => Assert.True(f.IsImportable, f.Key));
    }

    [Fact]
    public void Text_fields_carry_the_person_field_limits()
    {
        var limits = typeof(PersonFieldLimits).GetFields(BindingFlags.Public | BindingFlags.Static).ToList();

        Assert.NotEmpty(limits);
        Assert.All(limits, limit => Assert.Equal((int)limit.GetValue(null)!, LeadFields.ByName(limit.Name)!.MaxLength));
        Assert.All(LeadFields.Standard.Where(f => f.Type is LeadFieldType.Text or LeadFieldType.LongText && f != LeadFields.Name),
            f => Assert.NotNull(f.MaxLength));
    }

    [Fact]
    public void The_search_looks_in_names_company_email_phones_and_tax_code()
    {
        Assert.Equal(
            [nameof(Lead.CompanyName), nameof(Lead.Email), nameof(Lead.FirstName), nameof(Lead.LastName), nameof(Lead.Mobile), nameof(Lead.Phone), nameof(Lead.TaxCode)],
            LeadFields.Searchable.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_sortable_standard_field_has_a_sort_key_or_a_sort_the_list_computes()
    {
        Assert.All(LeadFields.Standard.Where(f => f.IsListed), f => Assert.True(f.IsSortable, f.Key));
        Assert.All(LeadFields.Standard.Where(f => f.Sort == LeadFieldSort.Column), f => Assert.NotEmpty(f.SortKeys));
        Assert.All(LeadFields.Standard.Where(f => f.Sort is LeadFieldSort.StatusOrder or LeadFieldSort.UserName), f => Assert.Empty(f.SortKeys));
        Assert.All(LeadFields.Standard.SelectMany(f => f.SortKeys), key => Assert.Equal(typeof(Lead), Assert.Single(key.Parameters).Type));
    }

    [Fact]
    public void A_lead_reads_through_the_catalogue_as_through_its_properties()
    {
        var details = new PersonDetails
        {
            CompanyName = "Rossi Srl", FirstName = "Mario", LastName = "Rossi", CaptureDate = new DateOnly(2026, 3, 1), Email = "mario@example.it",
            TaxCode = "RSSMRA80A01H501U", Address = "Via Roma 1", City = "Milano", Zip = "20100", Province = "MI", Phone = "02 111", Mobile = "333 1",
            Gender = Gender.Male, DateOfBirth = new DateOnly(1980, 1, 1), PrivacyConsent = true, Notes = "Likes music",
        };
        var lead = Lead.Create(details, 3, "user-1", "user-2", new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc));

        foreach (var field in LeadFields.Standard.Where(f => f != LeadFields.Name))
        {
            Assert.Equal(typeof(Lead).GetProperty(field.Name)!.GetValue(lead), field.ReadFrom(lead));
        }

        Assert.Equal("Mario Rossi", LeadFields.Name.ReadFrom(lead));
    }

    [Theory]
    [InlineData(CustomFieldType.Text, LeadFieldType.Text, LeadFieldSort.Computed)]
    [InlineData(CustomFieldType.LongText, LeadFieldType.LongText, LeadFieldSort.Computed)]
    [InlineData(CustomFieldType.Number, LeadFieldType.Number, LeadFieldSort.Computed)]
    [InlineData(CustomFieldType.Date, LeadFieldType.Date, LeadFieldSort.Computed)]
    [InlineData(CustomFieldType.Checkbox, LeadFieldType.Checkbox, LeadFieldSort.Computed)]
    [InlineData(CustomFieldType.SingleChoice, LeadFieldType.SingleChoice, LeadFieldSort.OptionOrder)]
    [InlineData(CustomFieldType.MultipleChoice, LeadFieldType.MultipleChoice, LeadFieldSort.None)]
    public void An_active_custom_field_is_listed_exported_imported_and_filtered_by_its_key(CustomFieldType type, LeadFieldType expected, LeadFieldSort sort)
    {
        var field = LeadFields.ForCustomField(12, "Budget", type);

        Assert.Equal("cf12", field.Key);
        Assert.Equal(CustomValueRules.FieldKey(12), field.Name);
        Assert.Equal("Budget", field.CustomFieldName);
        Assert.Equal(expected, field.Type);
        Assert.Equal(sort, field.Sort);
        Assert.True(field.IsListed && field.IsExportable && field.IsFilterable && !field.IsSearchable);
        Assert.Equal(ImportTarget.ForCustomField(12), field.ImportTarget);
        Assert.True(LeadFields.TryGetCustomFieldId(field.Key, out var id) && id == 12);
    }

    [Fact]
    public void An_archived_custom_field_can_only_be_filtered()
    {
        var field = LeadFields.ForCustomField(new CustomFieldDefinition(5, "Old", CustomFieldType.Number, false, IsArchived: true, []));

        Assert.True(field.IsFilterable);
        Assert.False(field.IsListed || field.IsExportable || field.IsImportable || field.IsSortable);
    }
}
