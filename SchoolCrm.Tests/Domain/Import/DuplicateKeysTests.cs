using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class DuplicateKeysTests
{
    [Theory]
    [InlineData("Mario.Rossi@Scuola.IT", "mario.rossi@scuola.it")]
    [InlineData("  anna@example.de ", "anna@example.de")]
    [InlineData("Jörg.MÜLLER@Example.de", "jorg.muller@example.de")]
    public void Email_is_trimmed_and_folded_like_every_searched_text(string email, string expected)
    {
        Assert.Equal(expected, DuplicateKeys.NormalizeEmail(email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_email_has_no_key(string? email)
    {
        Assert.Null(DuplicateKeys.NormalizeEmail(email));
    }

    [Theory]
    [InlineData("+39 347 123 4567")]
    [InlineData("0039 347 1234567")]
    [InlineData("00393471234567")]
    [InlineData("+39-347-123.45.67")]
    [InlineData("(+39) 347 1234567")]
    [InlineData(" +393471234567 ")]
    public void Italian_mobile_with_plus_or_00_prefix_has_one_key(string mobile)
    {
        Assert.Equal("+393471234567", DuplicateKeys.NormalizeMobile(mobile));
    }

    [Fact]
    public void German_mobile_with_plus_or_00_prefix_has_one_key()
    {
        Assert.Equal("+491701234567", DuplicateKeys.NormalizeMobile("+49 170 1234567"));
        Assert.Equal("+491701234567", DuplicateKeys.NormalizeMobile("0049 (170) 123 45 67"));
    }

    [Fact]
    public void Mobile_without_prefix_keeps_its_national_digits()
    {
        Assert.Equal("3471234567", DuplicateKeys.NormalizeMobile("347 123 4567"));
        Assert.Equal("01701234567", DuplicateKeys.NormalizeMobile("0170 / 123 45 67"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("n/a")]
    [InlineData("+")]
    [InlineData("00")]
    public void Mobile_without_digits_has_no_key(string? mobile)
    {
        Assert.Null(DuplicateKeys.NormalizeMobile(mobile));
    }

    [Theory]
    [InlineData("rssmra85t10a562s", "RSSMRA85T10A562S")]
    [InlineData(" RSS MRA 85T10 A562S ", "RSSMRA85T10A562S")]
    public void Tax_code_is_upper_case_without_spaces(string taxCode, string expected)
    {
        Assert.Equal(expected, DuplicateKeys.NormalizeTaxCode(taxCode));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_tax_code_has_no_key(string? taxCode)
    {
        Assert.Null(DuplicateKeys.NormalizeTaxCode(taxCode));
    }
}
