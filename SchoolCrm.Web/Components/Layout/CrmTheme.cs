using MudBlazor;

namespace SchoolCrm.Web.Components.Layout;

public static class CrmTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565C0",
            Secondary = "#F9A825",
            Success = "#2E7D32",
            AppbarBackground = "#1565C0",
        },
        Typography = new Typography
        {
            // No web fonts: the app must look right on a school network without internet access.
            Default = new DefaultTypography { FontFamily = ["system-ui", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
