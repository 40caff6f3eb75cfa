using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Domain.Import;

public class ImportGenderTests
{
    [Theory]
    [InlineData("m")]
    [InlineData("M")]
    [InlineData("male")]
    [InlineData("Male")]
    [InlineData("man")]
    [InlineData("Mann")]
    [InlineData("männlich")]
    [InlineData("Männlich")]
    [InlineData("MÄNNLICH")]
    [InlineData("maennlich")]
    [InlineData("Herr")]
    [InlineData("maschio")]
    [InlineData("Maschile")]
    [InlineData("uomo")]
    [InlineData(" M ")]
    public void Male_spellings_are_male(string cell)
    {
        ParseResult<Gender> result = ImportGender.Parse(cell);

        Assert.True(result.Ok);
        Assert.Equal(Gender.Male, result.Value);
    }

    [Theory]
    [InlineData("f")]
    [InlineData("F")]
    [InlineData("w")]
    [InlineData("W")]
    [InlineData("female")]
    [InlineData("woman")]
    [InlineData("weiblich")]
    [InlineData("Weiblich")]
    [InlineData("Frau")]
    [InlineData("femmina")]
    [InlineData("Femminile")]
    [InlineData("donna")]
    public void Female_spellings_are_female(string cell)
    {
        ParseResult<Gender> result = ImportGender.Parse(cell);

        Assert.True(result.Ok);
        Assert.Equal(Gender.Female, result.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-")]
    [InlineData("n/a")]
    [InlineData("N/A")]
    [InlineData("not given")]
    [InlineData("Not  given")]
    [InlineData("keine Angabe")]
    [InlineData("non specificato")]
    public void Blank_and_not_given_spellings_are_not_given(string? cell)
    {
        ParseResult<Gender> result = ImportGender.Parse(cell);

        Assert.True(result.Ok);
        Assert.Equal(Gender.NotGiven, result.Value);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("D")]
    [InlineData("divers")]
    [InlineData("Divers")]
    public void Divers_is_an_error_that_keeps_the_value_for_the_user_to_decide(string cell)
    {
        ParseResult<Gender> result = ImportGender.Parse(cell);

        Assert.False(result.Ok);
        Assert.Equal(new ValueError("gender.invalid", cell), result.Error);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("mf")]
    [InlineData("boy")]
    public void Other_text_is_invalid(string cell)
    {
        Assert.Equal(new ValueError("gender.invalid", cell), ImportGender.Parse(cell).Error);
    }

    [Fact]
    public void Number_cell_is_invalid()
    {
        Assert.Equal(new ValueError("gender.invalid", "1"), ImportGender.Parse(1d).Error);
    }
}
