using Microsoft.Extensions.Localization;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Users;

/// <summary>The user dialogs' field messages: Identity's password codes read as SharedText "Password_*", the rest as domain errors.</summary>
public sealed class FieldErrorText(
    IStringLocalizer<UsersText> usersText,
    IStringLocalizer<SharedText> shared,
    ErrorMessages errors)
{
    public string For(FieldError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Field == "Password" && error.Code != "required")
        {
            var text = shared["Password_" + error.Code];
            return text.ResourceNotFound ? shared["Password_Other"] : text.Value;
        }

        return errors.For(error.Code, usersText);
    }

    /// <summary>The messages for one field, joined; null when it has none (MudBlazor's ErrorText).</summary>
    public string? For(IEnumerable<FieldError> errors, string field)
    {
        var messages = errors.Where(e => e.Field == field).Select(For).Distinct().ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }
}
