using Microsoft.Extensions.Localization;
using MudBlazor;

namespace SchoolCrm.Web.Components.Layout;

/// <summary>Marker for MudBlazor's own texts in German (MudBlazorText.de.resx); English comes from MudBlazor itself.</summary>
public sealed class MudBlazorText;

/// <summary>Gives MudBlazor's built-in texts (pager, grid menus) in the user's language.</summary>
public sealed class CrmMudLocalizer(IStringLocalizer<MudBlazorText> text) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var translated = text[key];
            return translated.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : translated;
        }
    }
}
