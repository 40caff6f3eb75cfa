using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class ImportTextTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    public void Blank_cell_is_null(string? cell)
    {
        ParseResult<string?> result = ImportText.Parse(cell, 50);

        Assert.True(result.Ok);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Text_is_trimmed()
    {
        Assert.Equal("Rossi", ImportText.Parse("  Rossi \t", 50).Value);
    }

    [Fact]
    public void ZIP_code_stored_as_number_has_no_decimal_part()
    {
        Assert.Equal("80100", ImportText.Parse(80100d, 10).Value);
    }

    [Fact]
    public void Phone_number_stored_as_number_has_no_exponent()
    {
        Assert.Equal("393471234567", ImportText.Parse(3.93471234567E+11, 20).Value);
    }

    [Fact]
    public void Whole_decimal_cell_has_no_decimal_part()
    {
        Assert.Equal("80100", ImportText.Parse(80100.0m, 10).Value);
    }

    [Fact]
    public void Integer_cells_are_plain_digits()
    {
        Assert.Equal("393471234567", ImportText.Parse(393471234567L, 20).Value);
        Assert.Equal("-42", ImportText.Parse(-42, 20).Value);
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(0d, "0")]
    [InlineData(1e20, "100000000000000000000")]
    public void Number_cells_use_invariant_culture(double cell, string expected)
    {
        Assert.Equal(expected, ImportText.Parse(cell, 50).Value);
    }

    [Fact]
    public void Negative_zero_is_plain_zero()
    {
        Assert.Equal("0", ImportText.Parse(-0d, 50).Value);
    }

    [Fact]
    public void Decimal_cell_with_fraction_drops_trailing_zeros()
    {
        Assert.Equal("12.5", ImportText.Parse(12.50m, 50).Value);
    }

    [Fact]
    public void Boolean_cells_are_true_and_false()
    {
        Assert.Equal("true", ImportText.Parse(true, 50).Value);
        Assert.Equal("false", ImportText.Parse(false, 50).Value);
    }

    [Fact]
    public void Date_cell_at_midnight_is_just_the_date()
    {
        Assert.Equal("2001-05-03", ImportText.Parse(new DateTime(2001, 5, 3), 50).Value);
    }

    [Fact]
    public void Date_cell_with_a_time_keeps_the_time()
    {
        Assert.Equal("2001-05-03 14:30:00", ImportText.Parse(new DateTime(2001, 5, 3, 14, 30, 0), 50).Value);
    }

    [Fact]
    public void Text_of_exactly_max_length_is_accepted()
    {
        Assert.Equal("abcde", ImportText.Parse(" abcde ", 5).Value);
    }

    [Fact]
    public void Text_over_max_length_is_too_long()
    {
        ParseResult<string?> result = ImportText.Parse("abcdef", 5);

        Assert.False(result.Ok);
        Assert.Equal(new ValueError("text.too_long", "abcdef"), result.Error);
    }

    [Fact]
    public void Number_over_max_length_is_too_long()
    {
        Assert.Equal(new ValueError("text.too_long", "393471234567"), ImportText.Parse(3.93471234567E+11, 5).Error);
    }

    [Fact]
    public void Max_length_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImportText.Parse("a", 0));
    }
}
