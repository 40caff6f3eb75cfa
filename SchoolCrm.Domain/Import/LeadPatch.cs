using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Domain.Import;

/// <summary>
/// The standard values one row gives; null means the row does not say (no column, or an empty cell).
/// Applied over defaults for a new lead, or over the existing lead's details for an update, so an empty
/// cell never wipes a value the CRM already has.
/// </summary>
public sealed record LeadPatch
{
    public string? CompanyName { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public DateOnly? CaptureDate { get; init; }

    public string? Email { get; init; }

    public string? TaxCode { get; init; }

    public string? Address { get; init; }

    public string? City { get; init; }

    public string? Zip { get; init; }

    public string? Province { get; init; }

    public string? Phone { get; init; }

    public string? Mobile { get; init; }

    public Gender? Gender { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public bool? PrivacyConsent { get; init; }

    public string? Notes { get; init; }

    public PersonDetails ApplyTo(PersonDetails current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            CompanyName = CompanyName ?? current.CompanyName,
            FirstName = FirstName ?? current.FirstName,
            LastName = LastName ?? current.LastName,
            CaptureDate = CaptureDate ?? current.CaptureDate,
            Email = Email ?? current.Email,
            TaxCode = TaxCode ?? current.TaxCode,
            Address = Address ?? current.Address,
            City = City ?? current.City,
            Zip = Zip ?? current.Zip,
            Province = Province ?? current.Province,
            Phone = Phone ?? current.Phone,
            Mobile = Mobile ?? current.Mobile,
            Gender = Gender ?? current.Gender,
            DateOfBirth = DateOfBirth ?? current.DateOfBirth,
            PrivacyConsent = PrivacyConsent ?? current.PrivacyConsent,
            Notes = Notes ?? current.Notes,
        };
    }

    /// <summary>The raw value of the chosen duplicate key, as the row gives it.</summary>
    public string? KeyValue(DuplicateMatchKey key) => key switch
    {
        DuplicateMatchKey.Email => Email,
        DuplicateMatchKey.Mobile => Mobile,
        DuplicateMatchKey.TaxCode => TaxCode,
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
