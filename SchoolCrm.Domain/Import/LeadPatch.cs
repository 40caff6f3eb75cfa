using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Domain.Import;

/// <summary>
/// The standard values one row gives; null means the row does not say (no column, or an empty cell).
/// Applied over defaults for a new lead, or over the existing lead's details for an update, so an empty
/// cell never wipes a value the CRM already has.
/// </summary>
/// <remarks>
/// <see cref="LeadRowReader"/> fills one patch per row in place: a copy per column (a <c>with</c> for each cell) was
/// the import's largest allocation, about 2 KB per row.
/// </remarks>
public sealed record LeadPatch
{
    public string? CompanyName { get; internal set; }

    public string? FirstName { get; internal set; }

    public string? LastName { get; internal set; }

    public DateOnly? CaptureDate { get; internal set; }

    public string? Email { get; internal set; }

    public string? TaxCode { get; internal set; }

    public string? Address { get; internal set; }

    public string? City { get; internal set; }

    public string? Zip { get; internal set; }

    public string? Province { get; internal set; }

    public string? Phone { get; internal set; }

    public string? Mobile { get; internal set; }

    public Gender? Gender { get; internal set; }

    public DateOnly? DateOfBirth { get; internal set; }

    public bool? PrivacyConsent { get; internal set; }

    public string? Notes { get; internal set; }

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
