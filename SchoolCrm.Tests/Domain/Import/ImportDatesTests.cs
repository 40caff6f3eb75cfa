using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class ImportDatesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_cell_is_no_date(string? cell)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(cell, DateOrder.DayFirst);

        Assert.True(result.Ok);
        Assert.Null(result.Value);
        Assert.Null(result.Error);
    }

    [Fact]
    public void DateTime_cell_keeps_its_date_and_drops_the_time()
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(new DateTime(2001, 5, 3, 14, 30, 0), DateOrder.MonthFirst);

        Assert.Equal(new DateOnly(2001, 5, 3), result.Value);
    }

    [Theory]
    [InlineData(36892, "2001-01-01")]
    [InlineData(36892.75, "2001-01-01")]
    [InlineData(61, "1900-03-01")]
    [InlineData(1, "1900-01-01")]
    [InlineData(59, "1900-02-28")]
    [InlineData(2958465, "9999-12-31")]
    public void Serial_number_is_a_spreadsheet_date(double serial, string expected)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(serial, DateOrder.DayFirst);

        Assert.True(result.Ok);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Value);
    }

    [Fact]
    public void Whole_number_cells_of_any_integer_type_are_serial_numbers()
    {
        DateOnly expected = new(2001, 1, 1);

        Assert.Equal(expected, ImportDates.Parse(36892, DateOrder.DayFirst).Value);
        Assert.Equal(expected, ImportDates.Parse(36892L, DateOrder.DayFirst).Value);
        Assert.Equal(expected, ImportDates.Parse(36892m, DateOrder.DayFirst).Value);
    }

    [Fact]
    public void Serial_60_is_Excels_phantom_29_February_1900_and_impossible()
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(60d, DateOrder.DayFirst);

        Assert.False(result.Ok);
        Assert.Equal(new ValueError("date.impossible", "60"), result.Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(-1)]
    [InlineData(2958466)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Serial_number_out_of_range_is_invalid(double serial)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(serial, DateOrder.DayFirst);

        Assert.False(result.Ok);
        Assert.Equal("date.invalid", result.Error!.Code);
    }

    [Theory]
    [InlineData("03.05.2001")]
    [InlineData("3.5.2001")]
    [InlineData("03/05/2001")]
    [InlineData("3/5/2001")]
    [InlineData("03-05-2001")]
    [InlineData("2001-05-03")]
    [InlineData(" 03.05.2001 ")]
    [InlineData("2001-05-03 00:00:00")]
    [InlineData("03.05.2001 00:00")]
    [InlineData("03/05/2001 14:30:15")]
    [InlineData("03/05/2001 12:00:00 AM")]
    public void Day_first_texts_are_read_as_3_May_2001(string text)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(text, DateOrder.DayFirst);

        Assert.True(result.Ok);
        Assert.Equal(new DateOnly(2001, 5, 3), result.Value);
    }

    [Theory]
    [InlineData("05/03/2001")]
    [InlineData("5/3/2001")]
    [InlineData("05-03-2001")]
    [InlineData("05.03.2001")]
    [InlineData("5/3/2001 12:00:00 AM")]
    public void Month_first_texts_are_read_as_3_May_2001(string text)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(text, DateOrder.MonthFirst);

        Assert.True(result.Ok);
        Assert.Equal(new DateOnly(2001, 5, 3), result.Value);
    }

    [Theory]
    [InlineData(DateOrder.DayFirst)]
    [InlineData(DateOrder.MonthFirst)]
    public void Year_first_text_does_not_depend_on_the_order(DateOrder order)
    {
        Assert.Equal(new DateOnly(2001, 5, 3), ImportDates.Parse("2001-05-03", order).Value);
    }

    [Theory]
    [InlineData("31.02.2020", DateOrder.DayFirst)]
    [InlineData("29.02.2019", DateOrder.DayFirst)]
    [InlineData("30/13/2020", DateOrder.DayFirst)]
    [InlineData("00.05.2020", DateOrder.DayFirst)]
    [InlineData("13/30/2020", DateOrder.MonthFirst)]
    [InlineData("2020-02-30", DateOrder.DayFirst)]
    [InlineData("2020-00-10", DateOrder.DayFirst)]
    [InlineData("0000-01-01", DateOrder.DayFirst)]
    [InlineData("31.04.2020 00:00", DateOrder.DayFirst)]
    public void Date_shape_with_day_or_month_out_of_range_is_impossible(string text, DateOrder order)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(text, order);

        Assert.False(result.Ok);
        Assert.Equal(new ValueError("date.impossible", text), result.Error);
    }

    [Fact]
    public void Leap_day_in_a_leap_year_is_possible()
    {
        Assert.Equal(new DateOnly(2020, 2, 29), ImportDates.Parse("29.02.2020", DateOrder.DayFirst).Value);
    }

    [Theory]
    [InlineData("03.05.01")]
    [InlineData("3/5/01")]
    [InlineData("03-05-01")]
    public void Two_digit_year_is_invalid_and_never_guessed(string text)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(text, DateOrder.DayFirst);

        Assert.False(result.Ok);
        Assert.Equal(new ValueError("date.invalid", text), result.Error);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("3 May 2001")]
    [InlineData("03.05/2001")]
    [InlineData("03.05.2001.")]
    [InlineData("2001/05/03")]
    [InlineData("2001-05-03T00:00:00")]
    [InlineData("03.05.2001 25:00")]
    [InlineData("03.05.2001 noon")]
    [InlineData("03052001")]
    [InlineData("٠٣.٠٥.٢٠٠١")]
    public void Other_text_is_invalid(string text)
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(text, DateOrder.DayFirst);

        Assert.False(result.Ok);
        Assert.Equal("date.invalid", result.Error!.Code);
    }

    [Fact]
    public void Boolean_cell_is_invalid()
    {
        ParseResult<DateOnly?> result = ImportDates.Parse(true, DateOrder.DayFirst);

        Assert.Equal(new ValueError("date.invalid", "true"), result.Error);
    }

    [Fact]
    public void Day_above_12_in_first_place_means_day_first()
    {
        Assert.Equal(DateOrder.DayFirst, ImportDates.DetectOrder(["03/05/2001", "25/12/2001", null, ""]));
    }

    [Fact]
    public void Day_above_12_in_second_place_means_month_first()
    {
        Assert.Equal(DateOrder.MonthFirst, ImportDates.DetectOrder(["03/05/2001", "12/25/2001 12:00:00 AM"]));
    }

    [Fact]
    public void Dotted_and_dashed_dates_count_too()
    {
        Assert.Equal(DateOrder.DayFirst, ImportDates.DetectOrder(["25.12.2001"]));
        Assert.Equal(DateOrder.MonthFirst, ImportDates.DetectOrder(["12-25-2001"]));
    }

    [Fact]
    public void Both_kinds_of_evidence_decide_nothing_and_are_ambiguous()
    {
        string[] values = ["25/12/2001", "12/25/2001"];

        Assert.Null(ImportDates.DetectOrder(values));
        Assert.True(ImportDates.IsAmbiguous(values));
    }

    [Fact]
    public void Dates_that_read_both_ways_decide_nothing_and_are_ambiguous()
    {
        string[] values = ["03/05/2001", "01/02/2003"];

        Assert.Null(ImportDates.DetectOrder(values));
        Assert.True(ImportDates.IsAmbiguous(values));
    }

    [Fact]
    public void Year_first_dates_decide_nothing_and_are_not_ambiguous()
    {
        string[] values = ["2001-12-25", "2001-05-03"];

        Assert.Null(ImportDates.DetectOrder(values));
        Assert.False(ImportDates.IsAmbiguous(values));
    }

    [Fact]
    public void Same_day_and_month_reads_the_same_in_both_orders_and_is_not_ambiguous()
    {
        string[] values = ["05/05/2001", "11.11.1999"];

        Assert.Null(ImportDates.DetectOrder(values));
        Assert.False(ImportDates.IsAmbiguous(values));
    }

    [Fact]
    public void Decided_order_is_not_ambiguous()
    {
        Assert.False(ImportDates.IsAmbiguous(["03/05/2001", "25/12/2001"]));
    }

    [Fact]
    public void Junk_and_impossible_values_decide_nothing()
    {
        string[] values = ["hello", "45/03/2001", "13/13/2001", "32/12/2001"];

        Assert.Null(ImportDates.DetectOrder(values));
        Assert.False(ImportDates.IsAmbiguous(values));
    }

    [Fact]
    public void No_values_decide_nothing_and_are_not_ambiguous()
    {
        Assert.Null(ImportDates.DetectOrder([]));
        Assert.False(ImportDates.IsAmbiguous([]));
    }
}
