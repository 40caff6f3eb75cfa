using System.Globalization;

namespace SchoolCrm.Domain.Leads;

/// <summary>
/// The standard fields leads and students share. Not an entity of its own: each table carries the columns,
/// so converting a lead copies them into a student row.
/// </summary>
public abstract class PersonRecord
{
    public string? CompanyName { get; private set; }

    public string FirstName { get; private set; } = "";

    public string? LastName { get; private set; }

    public DateOnly CaptureDate { get; private set; }

    public string? Email { get; private set; }

    public string? TaxCode { get; private set; }

    public string? Address { get; private set; }

    public string? City { get; private set; }

    public string? Zip { get; private set; }

    public string? Province { get; private set; }

    public string? Phone { get; private set; }

    public string? Mobile { get; private set; }

    public Gender Gender { get; private set; }

    public DateOnly? DateOfBirth { get; private set; }

    public bool PrivacyConsent { get; private set; }

    /// <summary>When the consent was recorded (UTC); null while there is none.</summary>
    public DateTime? PrivacyConsentAt { get; private set; }

    public string? Notes { get; private set; }

    // Folded copies (TextFolding) that searches and sorts compare, kept in step with the fields by ApplyDetails.
    // Stored columns rather than SQL functions: SQLite cannot fold accents in SQL, and a stored key is indexable and
    // compares the same on every database.

    /// <summary>The searched fields (names, company, e-mail, phone, mobile, tax code) folded, separated by spaces.</summary>
    public string SearchText { get; private set; } = "";

    public string FirstNameKey { get; private set; } = "";

    public string? LastNameKey { get; private set; }

    public string? CompanyNameKey { get; private set; }

    /// <summary>Also the key the import matches duplicate e-mails by (<see cref="Import.DuplicateKeys.NormalizeEmail"/>).</summary>
    public string? EmailKey { get; private set; }

    public string? AddressKey { get; private set; }

    public string? CityKey { get; private set; }

    public string? ProvinceKey { get; private set; }

    public PersonDetails Details => new()
    {
        CompanyName = CompanyName,
        FirstName = FirstName,
        LastName = LastName,
        CaptureDate = CaptureDate,
        Email = Email,
        TaxCode = TaxCode,
        Address = Address,
        City = City,
        Zip = Zip,
        Province = Province,
        Phone = Phone,
        Mobile = Mobile,
        Gender = Gender,
        DateOfBirth = DateOfBirth,
        PrivacyConsent = PrivacyConsent,
        Notes = Notes,
    };

    /// <summary>
    /// Takes cleaned details (see <see cref="PersonRules.Check"/>) and returns what changed; with
    /// <paramref name="recordChanges"/> false (a new record, or details put back) nothing is recorded, and the empty
    /// list is returned: formatting every field's old and new value is wasted on a record that has no history yet
    /// (the import creates up to 200k of them).
    /// </summary>
    protected List<FieldChange> ApplyDetails(PersonDetails d, DateTime nowUtc, bool recordChanges = true)
    {
        var changes = new List<FieldChange>();

        void Track<T>(string field, T oldValue, T newValue)
        {
            if (recordChanges && !EqualityComparer<T>.Default.Equals(oldValue, newValue))
            {
                changes.Add(new FieldChange(field, FieldChange.Format(oldValue), FieldChange.Format(newValue)));
            }
        }

        if (d.FirstName.Trim().Length == 0)
        {
            throw new DomainException("required", nameof(FirstName));
        }

        Track(nameof(CompanyName), CompanyName, d.CompanyName);
        Track(nameof(FirstName), FirstName, d.FirstName);
        Track(nameof(LastName), LastName, d.LastName);
        Track(nameof(CaptureDate), CaptureDate, d.CaptureDate);
        Track(nameof(Email), Email, d.Email);
        Track(nameof(TaxCode), TaxCode, d.TaxCode);
        Track(nameof(Address), Address, d.Address);
        Track(nameof(City), City, d.City);
        Track(nameof(Zip), Zip, d.Zip);
        Track(nameof(Province), Province, d.Province);
        Track(nameof(Phone), Phone, d.Phone);
        Track(nameof(Mobile), Mobile, d.Mobile);
        Track(nameof(Gender), Gender, d.Gender);
        Track(nameof(DateOfBirth), DateOfBirth, d.DateOfBirth);
        Track(nameof(PrivacyConsent), PrivacyConsent, d.PrivacyConsent);
        Track(nameof(Notes), Notes, d.Notes);

        if (d.PrivacyConsent && !PrivacyConsent)
        {
            PrivacyConsentAt = nowUtc;
        }
        else if (!d.PrivacyConsent)
        {
            PrivacyConsentAt = null;
        }

        CompanyName = d.CompanyName;
        FirstName = d.FirstName;
        LastName = d.LastName;
        CaptureDate = d.CaptureDate;
        Email = d.Email;
        TaxCode = d.TaxCode;
        Address = d.Address;
        City = d.City;
        Zip = d.Zip;
        Province = d.Province;
        Phone = d.Phone;
        Mobile = d.Mobile;
        Gender = d.Gender;
        DateOfBirth = d.DateOfBirth;
        PrivacyConsent = d.PrivacyConsent;
        Notes = d.Notes;
        SetKeys();
        return changes;
    }

    /// <summary>Recomputes the folded keys from the fields, for rows written before the keys existed. Changes nothing
    /// the user sees, so it records no history and no new version.</summary>
    public void RefreshKeys() => SetKeys();

    private void SetKeys()
    {
        FirstNameKey = TextFolding.Fold(FirstName);
        LastNameKey = TextFolding.FoldOrNull(LastName);
        CompanyNameKey = TextFolding.FoldOrNull(CompanyName);
        EmailKey = TextFolding.FoldOrNull(Email);
        AddressKey = TextFolding.FoldOrNull(Address);
        CityKey = TextFolding.FoldOrNull(City);
        ProvinceKey = TextFolding.FoldOrNull(Province);

        // The searched fields (names, company, e-mail, phone, mobile, tax code), each folded, in one text: a search
        // word matches if it occurs in any of them. Search words never contain a space, so a word cannot match across
        // two fields. The keys above are those fields folded already.
        string?[] searched =
        [
            string.IsNullOrWhiteSpace(FirstName) ? null : FirstNameKey, LastNameKey, CompanyNameKey, EmailKey,
            TextFolding.FoldOrNull(Phone), TextFolding.FoldOrNull(Mobile), TextFolding.FoldOrNull(TaxCode),
        ];
        SearchText = string.Join(' ', searched.Where(t => t is not null));
    }

    /// <summary>Puts back details saved earlier, with the consent date they had (no change is recorded).</summary>
    protected void RestoreDetails(PersonDetails details, DateTime? privacyConsentAt)
    {
        ApplyDetails(details, privacyConsentAt ?? default, recordChanges: false);
        PrivacyConsentAt = privacyConsentAt;
    }

    /// <summary>Used when a lead becomes a student: the consent keeps its original date.</summary>
    protected void CopyDetailsFrom(PersonRecord other)
    {
        ApplyDetails(other.Details, other.PrivacyConsentAt ?? default, recordChanges: false);
        PrivacyConsentAt = other.PrivacyConsentAt;
    }
}

/// <summary>One field's change, values formatted invariantly (dates yyyy-MM-dd) for the history.</summary>
public sealed record FieldChange(string Field, string? OldValue, string? NewValue)
{
    public static string? Format<T>(T value) => value switch
    {
        null => null,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
