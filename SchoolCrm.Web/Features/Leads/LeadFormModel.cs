using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>
/// What the add and edit forms bind to. It keeps exactly what the user typed until a save succeeds, so an
/// error or a conflict never loses input. Dates are DateTime? because the date picker binds to that.
/// </summary>
public sealed class LeadFormModel
{
    public string? CompanyName { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public DateTime? CaptureDate { get; set; }

    public string? Email { get; set; }

    public string? TaxCode { get; set; }

    public string? Address { get; set; }

    public string? City { get; set; }

    public string? Zip { get; set; }

    public string? Province { get; set; }

    public string? Phone { get; set; }

    public string? Mobile { get; set; }

    public Gender Gender { get; set; }

    public DateTime? DateOfBirth { get; set; }

    public bool PrivacyConsent { get; set; }

    public string? Notes { get; set; }

    public int? StatusId { get; set; }

    public string? AssignedToUserId { get; set; }

    public Dictionary<int, CustomValueInput> CustomValues { get; } = [];

    public static LeadFormModel New(LeadFormOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LeadFormModel
        {
            CaptureDate = options.Today.ToDateTime(TimeOnly.MinValue),
            StatusId = options.DefaultStatusId,
        };
    }

    public static LeadFormModel From(LeadDetails lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var p = lead.Person;
        var model = new LeadFormModel
        {
            CompanyName = p.CompanyName,
            FirstName = p.FirstName,
            LastName = p.LastName,
            CaptureDate = p.CaptureDate.ToDateTime(TimeOnly.MinValue),
            Email = p.Email,
            TaxCode = p.TaxCode,
            Address = p.Address,
            City = p.City,
            Zip = p.Zip,
            Province = p.Province,
            Phone = p.Phone,
            Mobile = p.Mobile,
            Gender = p.Gender,
            DateOfBirth = p.DateOfBirth?.ToDateTime(TimeOnly.MinValue),
            PrivacyConsent = p.PrivacyConsent,
            Notes = p.Notes,
            StatusId = lead.StatusId,
            AssignedToUserId = lead.AssignedToUserId,
        };
        foreach (var (fieldId, value) in lead.CustomValues)
        {
            model.CustomValues[fieldId] = value;
        }

        return model;
    }

    public PersonDetails ToDetails() => new()
    {
        CompanyName = CompanyName,
        FirstName = FirstName ?? "",
        LastName = LastName,
        CaptureDate = CaptureDate is { } capture ? DateOnly.FromDateTime(capture) : default,
        Email = Email,
        TaxCode = TaxCode,
        Address = Address,
        City = City,
        Zip = Zip,
        Province = Province,
        Phone = Phone,
        Mobile = Mobile,
        Gender = Gender,
        DateOfBirth = DateOfBirth is { } birth ? DateOnly.FromDateTime(birth) : null,
        PrivacyConsent = PrivacyConsent,
        Notes = Notes,
    };

    /// <summary>The inputs of the fields the form shows (archived fields are not sent, so they keep their values).</summary>
    public IReadOnlyList<CustomValueInput> CustomInputs(IReadOnlyList<CustomFieldDefinition> shownFields) =>
        [.. shownFields.Select(f => CustomValues.TryGetValue(f.Id, out var value) ? value : CustomValueInput.Empty(f.Id))];

    /// <summary>What the form itself can tell before asking the server: the pickers that must not be empty.</summary>
    public IReadOnlyList<FieldMessage> MissingChoices()
    {
        var missing = new List<FieldMessage>();
        if (CaptureDate is null)
        {
            missing.Add(new FieldMessage(nameof(CaptureDate), "required"));
        }

        if (StatusId is null)
        {
            missing.Add(new FieldMessage(nameof(StatusId), "required"));
        }

        return missing;
    }
}
