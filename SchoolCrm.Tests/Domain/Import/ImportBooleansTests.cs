using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class ImportBooleansTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_cell_is_not_false_but_unknown(string? cell)
    {
        ParseResult<bool?> result = ImportBooleans.Parse(cell);

        Assert.True(result.Ok);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Boolean_cell_is_taken_as_is(bool cell)
    {
        Assert.Equal(cell, ImportBooleans.Parse(cell).Value);
    }

    [Fact]
    public void Number_cells_1_and_0_are_true_and_false()
    {
        Assert.True(ImportBooleans.Parse(1d).Value);
        Assert.False(ImportBooleans.Parse(0d).Value);
        Assert.True(ImportBooleans.Parse(1L).Value);
        Assert.False(ImportBooleans.Parse(0).Value);
        Assert.True(ImportBooleans.Parse(1m).Value);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("Yes")]
    [InlineData("YES")]
    [InlineData("y")]
    [InlineData("ja")]
    [InlineData("Ja")]
    [InlineData("j")]
    [InlineData("sì")]
    [InlineData("Sì")]
    [InlineData("si")]
    [InlineData("x")]
    [InlineData("X")]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("wahr")]
    [InlineData("WAHR")]
    [InlineData("vero")]
    [InlineData("VERO")]
    [InlineData("1")]
    [InlineData(" ja ")]
    public void Yes_spellings_are_true(string cell)
    {
        ParseResult<bool?> result = ImportBooleans.Parse(cell);

        Assert.True(result.Ok);
        Assert.True(result.Value);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("No")]
    [InlineData("n")]
    [InlineData("nein")]
    [InlineData("Nein")]
    [InlineData("false")]
    [InlineData("FALSE")]
    [InlineData("falsch")]
    [InlineData("FALSCH")]
    [InlineData("falso")]
    [InlineData("FALSO")]
    [InlineData("0")]
    public void No_spellings_are_false(string cell)
    {
        ParseResult<bool?> result = ImportBooleans.Parse(cell);

        Assert.True(result.Ok);
        Assert.False(result.Value);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("forse")]
    [InlineData("vielleicht")]
    [InlineData("2")]
    [InlineData("-")]
    [InlineData("yes no")]
    public void Other_text_is_invalid(string cell)
    {
        ParseResult<bool?> result = ImportBooleans.Parse(cell);

        Assert.False(result.Ok);
        Assert.Equal(new ValueError("boolean.invalid", cell), result.Error);
    }

    [Fact]
    public void Other_numbers_are_invalid()
    {
        Assert.Equal(new ValueError("boolean.invalid", "2"), ImportBooleans.Parse(2d).Error);
        Assert.Equal(new ValueError("boolean.invalid", "0.5"), ImportBooleans.Parse(0.5).Error);
    }

    [Fact]
    public void Date_cell_is_invalid()
    {
        Assert.Equal("boolean.invalid", ImportBooleans.Parse(new DateTime(2001, 5, 3)).Error!.Code);
    }
}
