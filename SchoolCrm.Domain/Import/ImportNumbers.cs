using System.Globalization;
using System.Text.RegularExpressions;

namespace SchoolCrm.Domain.Import;

/// <summary>
/// Reads numbers from number cells and from text typed with German/Italian ("1.234,5")
/// or English ("1,234.5") separators.
/// </summary>
/// <remarks>
/// Rules for text, after trimming (an optional leading + or - is allowed):
/// <list type="bullet">
/// <item>Both '.' and ',' present: the last one is the decimal separator, the other groups thousands.</item>
/// <item>One kind present several times: it groups thousands ("1.234.567").</item>
/// <item>One separator present once: it groups thousands only when exactly three digits follow and
/// one to three digits without a leading zero precede it ("1,234" and "1.234" are 1234);
/// otherwise it is the decimal separator ("1,5", "1234.5", "0,125", "3,14159").
/// So "1,234" is read the English way and "1.234" the German/Italian way: both are 1234.</item>
/// <item>Thousands groups must be well formed; anything else is <see cref="ValueErrorCodes.NumberInvalid"/>.</item>
/// </list>
/// </remarks>
public static partial class ImportNumbers
{
    public static ParseResult<double?> Parse(object? cell)
    {
        if (Cells.IsBlank(cell))
        {
            return ParseResult<double?>.Success(null);
        }

        if (cell is string text)
        {
            return ParseText(text.Trim());
        }

        double? number = Cells.AsNumber(cell);
        if (number is not null && double.IsFinite(number.Value))
        {
            return ParseResult<double?>.Success(number.Value);
        }

        return ParseResult<double?>.Failure(ValueErrorCodes.NumberInvalid, Cells.Format(cell));
    }

    private static ParseResult<double?> ParseText(string text)
    {
        string? invariant = ToInvariantText(text);
        if (invariant is not null
            && double.TryParse(invariant, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value))
        {
            return ParseResult<double?>.Success(value);
        }

        return ParseResult<double?>.Failure(ValueErrorCodes.NumberInvalid, text);
    }

    // "-1.234,5" -> "-1234.5"; null when the text breaks the rules above.
    private static string? ToInvariantText(string text)
    {
        Match match = NumberShape().Match(text);
        if (!match.Success)
        {
            return null;
        }

        string sign = match.Groups["sign"].Value;
        string body = match.Groups["body"].Value;
        int lastDot = body.LastIndexOf('.');
        int lastComma = body.LastIndexOf(',');

        if (lastDot < 0 && lastComma < 0)
        {
            return sign + body;
        }

        if (lastDot >= 0 && lastComma >= 0)
        {
            char decimalSeparator = lastDot > lastComma ? '.' : ',';
            char groupSeparator = lastDot > lastComma ? ',' : '.';
            int decimalIndex = Math.Max(lastDot, lastComma);
            string integerPart = body[..decimalIndex];
            if (integerPart.Contains(decimalSeparator, StringComparison.Ordinal))
            {
                return null;
            }

            string? integerDigits = Ungroup(integerPart, groupSeparator);
            return integerDigits is null ? null : sign + integerDigits + "." + body[(decimalIndex + 1)..];
        }

        char separator = lastDot >= 0 ? '.' : ',';
        int separatorCount = body.Count(c => c == separator);
        if (separatorCount > 1)
        {
            string? digits = Ungroup(body, separator);
            return digits is null ? null : sign + digits;
        }

        int index = body.IndexOf(separator, StringComparison.Ordinal);
        string before = body[..index];
        string after = body[(index + 1)..];
        if (after.Length == 3 && IsLeadingGroup(before))
        {
            return sign + before + after;
        }

        return sign + before + "." + after;
    }

    // "1.234.567" -> "1234567"; null unless every group after the first has exactly three digits.
    private static string? Ungroup(string text, char separator)
    {
        string[] groups = text.Split(separator);
        if (!IsLeadingGroup(groups[0]) || groups.Skip(1).Any(group => group.Length != 3))
        {
            return null;
        }

        return string.Concat(groups);
    }

    private static bool IsLeadingGroup(string group)
    {
        return group.Length is >= 1 and <= 3 && group[0] != '0';
    }

    // Digits and separators only, starting and ending with a digit; [0-9] rather than \d to keep out other scripts' digits.
    [GeneratedRegex(@"^(?<sign>[-+]?)(?<body>[0-9]([0-9.,]*[0-9])?)$")]
    private static partial Regex NumberShape();
}
