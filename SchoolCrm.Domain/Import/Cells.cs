using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SchoolCrm.Domain.Import;

/// <summary>
/// What the spreadsheet reader hands over: null, string, double, long/int, decimal, bool or DateTime.
/// </summary>
internal static class Cells
{
    public static bool IsBlank([NotNullWhen(false)] object? cell)
    {
        return cell is null || (cell is string text && string.IsNullOrWhiteSpace(text));
    }

    public static double? AsNumber(object cell)
    {
        return cell switch
        {
            double d => d,
            float f => f,
            decimal m => (double)m,
            long l => l,
            int i => i,
            short s => s,
            byte b => b,
            _ => null,
        };
    }

    /// <summary>
    /// The cell as trimmed, culture-independent text; also used for the value shown in errors.
    /// </summary>
    public static string Format(object cell)
    {
        return cell switch
        {
            string text => text.Trim(),
            bool b => b ? "true" : "false",
            double d => FormatDouble(d),
            float f => float.IsFinite(f) && f == MathF.Floor(f) ? FormatDouble(f) : f.ToString(CultureInfo.InvariantCulture),

            // "0.###..." drops the trailing zeros that decimal keeps from its scale (80100.0m).
            decimal m => m.ToString("0.############################", CultureInfo.InvariantCulture),
            DateTime dt => dt.TimeOfDay == TimeSpan.Zero
                ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture).Trim(),
            _ => (cell.ToString() ?? string.Empty).Trim(),
        };
    }

    private static string FormatDouble(double d)
    {
        // ZIP codes and phone numbers typed into number cells arrive as doubles;
        // "F0" keeps all their digits, where the default format would give "3.93471234567E+11".
        if (double.IsFinite(d) && d == Math.Floor(d))
        {
            return d == 0 ? "0" : d.ToString("F0", CultureInfo.InvariantCulture);
        }

        return d.ToString(CultureInfo.InvariantCulture);
    }
}
