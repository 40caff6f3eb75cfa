using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace SchoolCrm.Web.Hosting;

public static class Localization
{
    public static readonly IReadOnlyList<string> SupportedCultures = ["en", "de"];

    public const string DefaultCulture = "en";

    public static IServiceCollection AddCrmLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(DefaultCulture)
                .AddSupportedCultures([.. SupportedCultures])
                .AddSupportedUICultures([.. SupportedCultures]);
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
        });
        return services;
    }

    public static string Normalize(string? culture) =>
        culture is not null && SupportedCultures.Contains(culture, StringComparer.OrdinalIgnoreCase)
            ? culture.ToLowerInvariant()
            : DefaultCulture;

    /// <summary>The culture cookie the request localization reads; set at sign-in from the user's stored choice.</summary>
    public static void WriteCultureCookie(HttpResponse response, string culture) =>
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Normalize(culture))),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax });
}
