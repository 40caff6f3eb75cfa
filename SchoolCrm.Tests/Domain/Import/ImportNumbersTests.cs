using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class ImportNumbersTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_cell_is_null(string? cell)
    {
        ParseResult<double?> result = ImportNumbers.Parse(cell);

        Assert.True(result.Ok);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Number_cells_are_taken_as_is()
    {
        Assert.Equal(1234.5, ImportNumbers.Parse(1234.5).Value);
        Assert.Equal(42d, ImportNumbers.Parse(42).Value);
        Assert.Equal(393471234567d, ImportNumbers.Parse(393471234567L).Value);
        Assert.Equal(12.25, ImportNumbers.Parse(12.25m).Value);
    }

    [Theory]
    [InlineData("1234.5", 1234.5)]
    [InlineData("1234,5", 1234.5)]
    [InlineData("1.234,5", 1234.5)]
    [InlineData("1,234.5", 1234.5)]
    [InlineData("1.234.567,89", 1234567.89)]
    [InlineData("1,234,567.89", 1234567.89)]
    [InlineData("1.234.567", 1234567)]
    [InlineData("1,234,567", 1234567)]
    [InlineData("-3", -3)]
    [InlineData("+3", 3)]
    [InlineData("-1.234,5", -1234.5)]
    [InlineData("  42 ", 42)]
    [InlineData("0", 0)]
    [InlineData("007", 7)]
    public void Numbers_in_German_Italian_and_English_notation_are_read(string text, double expected)
    {
        ParseResult<double?> result = ImportNumbers.Parse(text);

        Assert.True(result.Ok);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("1,5", 1.5)]
    [InlineData("1,25", 1.25)]
    [InlineData("1.5", 1.5)]
    [InlineData("1.25", 1.25)]
    public void Single_separator_followed_by_one_or_two_digits_is_decimal(string text, double expected)
    {
        Assert.Equal(expected, ImportNumbers.Parse(text).Value);
    }

    [Theory]
    [InlineData("1,234", 1234)]
    [InlineData("1.234", 1234)]
    [InlineData("12,500", 12500)]
    [InlineData("-1,234", -1234)]
    public void Single_separator_followed_by_exactly_three_digits_groups_thousands(string text, double expected)
    {
        Assert.Equal(expected, ImportNumbers.Parse(text).Value);
    }

    [Theory]
    [InlineData("0,125", 0.125)]
    [InlineData("0.125", 0.125)]
    [InlineData("1234,567", 1234.567)]
    [InlineData("3,14159", 3.14159)]
    public void Single_separator_that_cannot_group_thousands_is_decimal(string text, double expected)
    {
        Assert.Equal(expected, ImportNumbers.Parse(text).Value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12abc")]
    [InlineData("1e5")]
    [InlineData("1 234")]
    [InlineData("€ 12")]
    [InlineData(",5")]
    [InlineData("5,")]
    [InlineData("1..2")]
    [InlineData("1,2.3")]
    [InlineData("1.2,3,4")]
    [InlineData("1,23,456")]
    [InlineData("1.234.56")]
    [InlineData("0.123.456")]
    [InlineData("--3")]
    [InlineData("-")]
    [InlineData("٣")]
    public void Junk_is_invalid(string text)
    {
        ParseResult<double?> result = ImportNumbers.Parse(text);

        Assert.False(result.Ok);
        Assert.Equal(new ValueError("number.invalid", text), result.Error);
    }

    [Fact]
    public void Boolean_and_date_cells_are_invalid()
    {
        Assert.Equal(new ValueError("number.invalid", "true"), ImportNumbers.Parse(true).Error);
        Assert.Equal(new ValueError("number.invalid", "2001-05-03"), ImportNumbers.Parse(new DateTime(2001, 5, 3)).Error);
    }

    [Fact]
    public void Not_a_number_cell_is_invalid()
    {
        Assert.Equal("number.invalid", ImportNumbers.Parse(double.NaN).Error!.Code);
    }
}
