using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class FormulaSafetyTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    [InlineData("=1")]
    public void Text_that_a_spreadsheet_would_read_as_a_formula_gets_a_leading_apostrophe(string value)
    {
        Assert.Equal("'" + value, FormulaSafety.Protect(value));
    }

    [Theory]
    [InlineData("+39 347 123 4567")]
    [InlineData("+49 (0)170 / 123-45-67")]
    [InlineData("-0039 347 1234567")]
    [InlineData("Mario Rossi")]
    [InlineData("mario@scuola.it")]
    [InlineData("80100")]
    [InlineData("")]
    public void Phone_numbers_and_ordinary_text_stay_as_they_are(string value)
    {
        Assert.Equal(value, FormulaSafety.Protect(value));
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("'=1+1")]
    [InlineData("''@x")]
    [InlineData("'hello")]
    [InlineData("+39 347 1234567")]
    [InlineData("-abc")]
    public void The_import_reads_back_exactly_what_was_exported(string value)
    {
        Assert.Equal(value, FormulaSafety.Unprotect(FormulaSafety.Protect(value)));
    }

    [Fact]
    public void An_apostrophe_before_harmless_text_is_kept_on_import()
    {
        Assert.Equal("'hello", FormulaSafety.Unprotect("'hello"));
    }
}
