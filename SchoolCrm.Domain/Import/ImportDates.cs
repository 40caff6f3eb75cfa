using System.Globalization;
using System.Text.RegularExpressions;

namespace SchoolCrm.Domain.Import;

/// <summary>
/// Reads dates from spreadsheet cells. Nothing is guessed: two-digit years and unknown shapes are errors,
/// and the day/month order of texts like 03/05/2001 comes from the caller.
/// </summary>
public static partial class ImportDates
{
    // The serial number of 9999-12-31, the last date DateTime can hold.
    private const double MaxSerial = 2958465;

    // Excel counts a 29 February 1900 that never existed (a bug kept from Lotus 1-2-3).
    private const double ExcelPhantomLeapDaySerial = 60;

    public static ParseResult<DateOnly?> Parse(object? cell, DateOrder order)
    {
        if (Cells.IsBlank(cell))
        {
            return ParseResult<DateOnly?>.Success(null);
        }

        switch (cell)
        {
            case DateTime dateTime:
                return ParseResult<DateOnly?>.Success(DateOnly.FromDateTime(dateTime));
            case DateOnly date:
                return ParseResult<DateOnly?>.Success(date);
            case string text:
                return ParseText(text.Trim(), order);
        }

        double? serial = Cells.AsNumber(cell);
        if (serial is not null)
        {
            return ParseSerial(serial.Value, Cells.Format(cell));
        }

        return ParseResult<DateOnly?>.Failure(ValueErrorCodes.DateInvalid, Cells.Format(cell));
    }

    /// <summary>
    /// The order implied by texts like 25/12/2001 (day first) or 12/25/2001 (month first).
    /// Null when no value decides, or when both kinds appear; yyyy-MM-dd values decide nothing.
    /// </summary>
    public static DateOrder? DetectOrder(IEnumerable<string?> textValues)
    {
        OrderEvidence evidence = Scan(textValues);
        if (evidence.DayFirstSeen == evidence.MonthFirstSeen)
        {
            return null;
        }

        return evidence.DayFirstSeen ? DateOrder.DayFirst : DateOrder.MonthFirst;
    }

    /// <summary>
    /// True when the caller has to ask the user for the order: the values contradict each other,
    /// or some value like 03/05/2001 reads differently in each order and no value decides.
    /// </summary>
    public static bool IsAmbiguous(IEnumerable<string?> textValues)
    {
        OrderEvidence evidence = Scan(textValues);
        if (evidence.DayFirstSeen && evidence.MonthFirstSeen)
        {
            return true;
        }

        return !evidence.DayFirstSeen && !evidence.MonthFirstSeen && evidence.UndecidedSeen;
    }

    private static ParseResult<DateOnly?> ParseText(string text, DateOrder order)
    {
        string datePart = WithoutTime(text);

        Match iso = IsoDate().Match(datePart);
        if (iso.Success)
        {
            return Build(IntGroup(iso, "year"), IntGroup(iso, "month"), IntGroup(iso, "day"), text);
        }

        Match dayMonth = DayMonthDate().Match(datePart);
        if (!dayMonth.Success || dayMonth.Groups["year"].Length != 4)
        {
            return ParseResult<DateOnly?>.Failure(ValueErrorCodes.DateInvalid, text);
        }

        int first = IntGroup(dayMonth, "first");
        int second = IntGroup(dayMonth, "second");
        int year = IntGroup(dayMonth, "year");
        return order == DateOrder.DayFirst
            ? Build(year, second, first, text)
            : Build(year, first, second, text);
    }

    private static ParseResult<DateOnly?> ParseSerial(double serial, string shown)
    {
        if (!double.IsFinite(serial) || serial < 1 || serial >= MaxSerial + 1)
        {
            return ParseResult<DateOnly?>.Failure(ValueErrorCodes.DateInvalid, shown);
        }

        // A fraction is the time of day, which we drop.
        double days = Math.Floor(serial);
        if (days == ExcelPhantomLeapDaySerial)
        {
            return ParseResult<DateOnly?>.Failure(ValueErrorCodes.DateImpossible, shown);
        }

        // Before the phantom day Excel is one day ahead of DateTime.FromOADate; follow Excel, whose files these are.
        if (days < ExcelPhantomLeapDaySerial)
        {
            return ParseResult<DateOnly?>.Success(new DateOnly(1899, 12, 31).AddDays((int)days));
        }

        return ParseResult<DateOnly?>.Success(DateOnly.FromDateTime(DateTime.FromOADate(days)));
    }

    private static ParseResult<DateOnly?> Build(int year, int month, int day, string shown)
    {
        bool possible = year >= 1
            && month is >= 1 and <= 12
            && day >= 1
            && day <= DateTime.DaysInMonth(year, month);
        return possible
            ? ParseResult<DateOnly?>.Success(new DateOnly(year, month, day))
            : ParseResult<DateOnly?>.Failure(ValueErrorCodes.DateImpossible, shown);
    }

    // Exports often add a midnight time ("2001-05-03 00:00:00"); the time is dropped but must look like one.
    private static string WithoutTime(string text)
    {
        Match match = DateWithTime().Match(text);
        return match.Success ? match.Groups["date"].Value : text;
    }

    private static OrderEvidence Scan(IEnumerable<string?> textValues)
    {
        ArgumentNullException.ThrowIfNull(textValues);
        bool dayFirstSeen = false;
        bool monthFirstSeen = false;
        bool undecidedSeen = false;
        foreach (string? value in textValues)
        {
            if (value is null)
            {
                continue;
            }

            Match match = DayMonthDate().Match(WithoutTime(value.Trim()));
            if (!match.Success)
            {
                continue;
            }

            int first = IntGroup(match, "first");
            int second = IntGroup(match, "second");
            if (first is >= 13 and <= 31 && second is >= 1 and <= 12)
            {
                dayFirstSeen = true;
            }
            else if (second is >= 13 and <= 31 && first is >= 1 and <= 12)
            {
                monthFirstSeen = true;
            }
            else if (first is >= 1 and <= 12 && second is >= 1 and <= 12 && first != second)
            {
                undecidedSeen = true;
            }
        }

        return new OrderEvidence(dayFirstSeen, monthFirstSeen, undecidedSeen);
    }

    private static int IntGroup(Match match, string group)
    {
        return int.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture);
    }

    // UndecidedSeen: a value like 03/05/2001 that reads as two different dates.
    private readonly record struct OrderEvidence(bool DayFirstSeen, bool MonthFirstSeen, bool UndecidedSeen);

    // [0-9] rather than \d, which would also match Arabic-Indic and other digits.
    [GeneratedRegex(@"^(?<year>[0-9]{4})-(?<month>[0-9]{1,2})-(?<day>[0-9]{1,2})$")]
    private static partial Regex IsoDate();

    // The year is matched loosely so that two-digit years can be reported instead of guessed.
    [GeneratedRegex(@"^(?<first>[0-9]{1,2})(?<separator>[./-])(?<second>[0-9]{1,2})\k<separator>(?<year>[0-9]+)$")]
    private static partial Regex DayMonthDate();

    [GeneratedRegex(@"^(?<date>\S+)\s+([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(\s*[AaPp][Mm])?$")]
    private static partial Regex DateWithTime();
}
