using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Filters;

/// <summary>Custom fields, a catalogue, a context and in-memory leads for the filter engine's domain tests.</summary>
internal static class FilterTestKit
{
    public static readonly CustomFieldDefinition Interests = new(1, "Interests", CustomFieldType.MultipleChoice, false, false,
        [new(11, "Music"), new(12, "Art"), new(13, "Sport")]);

    public static readonly CustomFieldDefinition School = new(2, "Previous school", CustomFieldType.Text, false, false, []);

    public static readonly CustomFieldDefinition Siblings = new(3, "Siblings", CustomFieldType.Number, false, false, []);

    public static readonly CustomFieldDefinition OpenDay = new(4, "Open day", CustomFieldType.Date, false, false, []);

    public static readonly CustomFieldDefinition Newsletter = new(5, "Newsletter", CustomFieldType.Checkbox, false, false, []);

    public static readonly CustomFieldDefinition Source = new(6, "Source", CustomFieldType.SingleChoice, false, false, [new(61, "Web"), new(62, "Fair")]);

    public static readonly CustomFieldDefinition OldCode = new(7, "Old code", CustomFieldType.Text, false, true, []);

    public static readonly IReadOnlyList<CustomFieldDefinition> Fields = [Interests, School, Siblings, OpenDay, Newsletter, Source, OldCode];

    public const int New = 1;
    public const int Contacted = 2;
    public const int Enrolled = 3;

    public const string Me = "user-me";
    public const string Other = "user-other";

    public static readonly TimeZoneInfo Rome = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    /// <summary>Tuesday, 1 December 2026, 10:00 in Rome.</summary>
    public static readonly FilterContext Context = new(Me, new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc), Rome);

    /// <summary>Imports that still hold their leads; <see cref="UndoneImport"/> is not in the catalogue.</summary>
    public const int SpringImport = 7;
    public const int FairImport = 8;
    public const int UndoneImport = 9;

    /// <summary>The configured task types.</summary>
    public const int CallType = 21;
    public const int VisitType = 22;

    public static FilterCatalogue Catalogue { get; } = new(Fields, [New, Contacted, Enrolled], [Me, Other], [SpringImport, FairImport], [CallType, VisitType]);

    public static Lead Lead(
        PersonDetails details,
        int status = New,
        string? assignee = null,
        DateTime? createdUtc = null,
        int? import = null,
        params CustomValueInput[] values)
    {
        var created = createdUtc ?? new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc);
        var lead = SchoolCrm.Domain.Leads.Lead.Create(details, status, assignee, Other, created, import);
        if (values.Length > 0)
        {
            // Checked like a form does, with every field covered, so archived ones get values too.
            var active = Fields.Select(f => f with { IsArchived = false }).ToList();
            var check = CustomValueRules.Check(active, values);
            Assert.True(check.IsValid, string.Join(", ", check.Errors));
            lead.SetCustomValues(check, Other, created);
        }

        return lead;
    }

    /// <summary>The lead with comments written at those instants (in memory: the lead id does not matter).</summary>
    public static Lead Commented(Lead lead, params DateTime[] writtenUtc)
    {
        lead.Comments.AddRange(writtenUtc.Select(at => Comment.OnLead(lead.Id, Other, "Called back", at)));
        return lead;
    }

    public static CheckedFilter Checked(string json)
    {
        var read = FilterJson.Read(json);
        Assert.True(read.IsRead, read.Error);
        return FilterCheck.Check(read.Filter!, Catalogue);
    }

    public static CheckedFilter Checked(params FilterNode[] all) => FilterCheck.Check(new Filter(FilterGroup.AllOf(all)), Catalogue);
}
