using System.Globalization;
using Microsoft.Extensions.Localization;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>Turns row errors into the user's language ("Column: reason (value)").</summary>
public static class ImportMessages
{
    public static string Reason(IStringLocalizer<ImportText> text, string code)
    {
        ArgumentNullException.ThrowIfNull(text);
        var message = text["RowError_" + code];
        return message.ResourceNotFound ? text["RowError_unknown"] : message.Value;
    }

    /// <summary>A refused upload or action, with the configured limits filled into the text.</summary>
    public static string Error(ErrorMessages errors, IStringLocalizer<ImportText> text, ImportLimits limits, string code)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(limits);
        return string.Format(CultureInfo.CurrentCulture, errors.For(code, text), limits.MaxRows, limits.MaxFileMegabytes, limits.MaxColumns, limits.MaxPendingUploads);
    }

    public static string Describe(IStringLocalizer<ImportText> text, ImportRowError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var reason = Reason(text, error.Code);
        var column = error.Column.Length > 0 ? error.Column + ": " : "";
        var value = error.Value.Length > 0 ? string.Format(CultureInfo.CurrentCulture, " ({0})", error.Value) : "";
        return column + reason + value;
    }
}
