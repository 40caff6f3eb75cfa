using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Leads;

public sealed class PersonRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Fact]
    public void First_name_is_the_only_required_field()
    {
        var check = PersonRules.Check(new PersonDetails { FirstName = "Anna", CaptureDate = Today }, Today);

        Assert.True(check.IsValid);
        Assert.Empty(check.Warnings);
    }

    [Fact]
    public void A_blank_first_name_is_an_error_on_that_field()
    {
        var check = PersonRules.Check(new PersonDetails { FirstName = "   ", LastName = "Rossi" }, Today);

        Assert.Contains(new FieldMessage("FirstName", "required"), check.Errors);
    }

    [Fact]
    public void Texts_are_trimmed_and_blanks_become_null()
    {
        var check = PersonRules.Check(new PersonDetails { FirstName = "  Anna ", City = "  ", Zip = " 00184 " }, Today);

        Assert.Equal("Anna", check.Cleaned.FirstName);
        Assert.Null(check.Cleaned.City);
        Assert.Equal("00184", check.Cleaned.Zip);
    }

    [Fact]
    public void A_text_over_its_length_is_an_error_and_the_value_is_kept()
    {
        var longCity = new string('x', PersonFieldLimits.City + 1);
        var check = PersonRules.Check(new PersonDetails { FirstName = "Anna", City = longCity }, Today);

        Assert.Contains(new FieldMessage("City", "text.too_long"), check.Errors);
        Assert.Equal(longCity, check.Cleaned.City);
    }

    [Theory]
    [InlineData("anna@example")]
    [InlineData("anna example.com")]
    [InlineData("@example.com")]
    public void A_malformed_email_is_an_error(string email)
    {
        var check = PersonRules.Check(new PersonDetails { FirstName = "Anna", Email = email }, Today);

        Assert.Contains(new FieldMessage("Email", "email.invalid"), check.Errors);
    }

    [Fact]
    public void A_date_of_birth_in_the_future_is_an_error_but_today_is_fine()
    {
        var tomorrow = PersonRules.Check(new PersonDetails { FirstName = "Anna", DateOfBirth = Today.AddDays(1) }, Today);
        var today = PersonRules.Check(new PersonDetails { FirstName = "Anna", DateOfBirth = Today }, Today);

        Assert.Contains(new FieldMessage("DateOfBirth", "date.in_future"), tomorrow.Errors);
        Assert.True(today.IsValid);
    }

    [Fact]
    public void A_codice_fiscale_with_a_wrong_check_character_is_a_warning_not_an_error()
    {
        var check = PersonRules.Check(new PersonDetails { FirstName = "Mario", TaxCode = "rssmra85t10a562t" }, Today);

        Assert.True(check.IsValid);
        Assert.Contains(new FieldMessage("TaxCode", "taxcode.check_character"), check.Warnings);
        Assert.Equal("RSSMRA85T10A562T", check.Cleaned.TaxCode);
    }

    [Fact]
    public void A_valid_codice_fiscale_or_a_foreign_tax_code_gives_no_warning()
    {
        var italian = PersonRules.Check(new PersonDetails { FirstName = "Mario", TaxCode = "RSSMRA85T10A562S" }, Today);
        var german = PersonRules.Check(new PersonDetails { FirstName = "Hans", TaxCode = "12345678901" }, Today);

        Assert.Empty(italian.Warnings);
        Assert.Empty(german.Warnings);
    }
}
