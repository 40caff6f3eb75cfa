using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace SchoolCrm.Web.Hosting;

/// <summary>
/// Which language and formats a request uses. A language ("en", "de", "it") is what the user chooses and what is
/// stored; its formats come from a specific culture (en-GB, de-DE, it-IT unless School:Culture names another
/// one of that language). A request runs with that specific culture as both CurrentCulture and CurrentUICulture:
/// texts fall back from it to the language's resources, and MudBlazor, which formats with CurrentUICulture in
/// places and CurrentCulture in others, then formats the same way everywhere.
/// </summary>
public static class Localization
{
    /// <summary>The UI languages, in the order the language menu shows them.</summary>
    public static readonly IReadOnlyList<string> SupportedCultures = ["en", "de", "it"];

    public const string DefaultCulture = "en";

    public static IServiceCollection AddCrmLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton(sp => SchoolCulture.From(sp.GetRequiredService<IConfiguration>()));
        services.AddOptions<RequestLocalizationOptions>().Configure<SchoolCulture>((options, school) =>
        {
            var formats = SupportedCultures.Select(school.FormatsFor).ToArray();
            var start = school.FormatsFor(school.Language ?? DefaultCulture);
            options.DefaultRequestCulture = new RequestCulture(start, start);
            options.SupportedCultures = formats;
            options.SupportedUICultures = formats;
            // The user's cookie first (written at sign-in and by the language menu), then the browser's languages:
            // that is how the sign-in page follows the browser. Both only yield a language; its formats come from here.
            options.RequestCultureProviders =
            [
                new LanguageWithSchoolFormats(new CookieRequestCultureProvider(), school),
                new LanguageWithSchoolFormats(new AcceptLanguageHeaderRequestCultureProvider(), school),
            ];
        })
        // Builds the options, and so reads School:Culture, when the app starts: a wrong value stops it right away.
        .ValidateOnStart();
        return services;
    }

    /// <summary>The supported language of a culture name ("it-IT" -> "it"); English for anything else.</summary>
    public static string Normalize(string? culture) => Supported(culture) ?? DefaultCulture;

    /// <summary>The supported language of a culture name, or null.</summary>
    public static string? Supported(string? culture)
    {
        if (string.IsNullOrWhiteSpace(culture))
        {
            return null;
        }

        var language = culture.Split('-', '_')[0].Trim().ToLowerInvariant();
        return SupportedCultures.Contains(language, StringComparer.Ordinal) ? language : null;
    }

    /// <summary>The first supported language of the browser's Accept-Language header, or null.</summary>
    public static string? BrowserLanguage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => Supported(l.Value.Value))
            .FirstOrDefault(l => l is not null);
    }

    /// <summary>The culture cookie the request localization reads; set at sign-in and by the language menu.</summary>
    public static void WriteCultureCookie(HttpResponse response, string culture) =>
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Normalize(culture))),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                // Like the auth and antiforgery cookies: Secure whenever the request came over HTTPS (also via a known proxy).
                Secure = response.HttpContext.Request.IsHttps,
            });

    /// <summary>Takes only the language from another provider and gives it the school's formats for it.</summary>
    private sealed class LanguageWithSchoolFormats(RequestCultureProvider inner, SchoolCulture school) : RequestCultureProvider
    {
        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var result = await inner.DetermineProviderCultureResult(httpContext);
            var language = result?.UICultures.Select(c => Supported(c.Value)).FirstOrDefault(l => l is not null);
            if (language is null)
            {
                return null;
            }

            var formats = school.FormatsFor(language).Name;
            return new ProviderCultureResult(formats, formats);
        }
    }
}

/// <summary>
/// The school's language and formats from <c>School:Culture</c>, and the rule for the language a user gets.
/// </summary>
/// <remarks>
/// The rule: a user's own choice in the language menu is stored on the user and always wins. A user who never
/// chose starts in the school's language (<c>School:Culture</c>); when that is empty, in the first supported
/// language of their browser (Accept-Language), else English. Until they choose, that is worked out again at
/// every sign-in, so a school that sets <c>School:Culture</c> later moves everybody who never chose.
/// </remarks>
public sealed class SchoolCulture
{
    // European schools: English means day-first dates (en-GB), not the US formats of the neutral "en".
    private static readonly Dictionary<string, string> DefaultFormats = new(StringComparer.Ordinal)
    {
        ["en"] = "en-GB",
        ["de"] = "de-DE",
        ["it"] = "it-IT",
    };

    private readonly CultureInfo? schoolFormats;

    public SchoolCulture(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return;
        }

        Language = Localization.Supported(configured) ?? throw Unsupported(configured);
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(configured.Trim());
        }
        catch (CultureNotFoundException)
        {
            throw Unsupported(configured);
        }

        // "it" alone means Italian with Italy's formats; "de-CH" means German with Swiss formats.
        schoolFormats = culture.IsNeutralCulture ? null : culture;
    }

    /// <summary>The school's language, or null when <c>School:Culture</c> is empty (then the browser decides).</summary>
    public string? Language { get; }

    public static SchoolCulture From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new SchoolCulture(configuration["School:Culture"]);
    }

    /// <summary>The formats of a language: the school's culture for the school's own language, else the default.</summary>
    public CultureInfo FormatsFor(string language)
    {
        var normalized = Localization.Normalize(language);
        return schoolFormats is not null && normalized == Language
            ? schoolFormats
            : CultureInfo.GetCultureInfo(DefaultFormats[normalized]);
    }

    /// <summary>The language a user gets at sign-in (see the rule above).</summary>
    /// <param name="storedChoice">The user's own choice; empty when they never chose.</param>
    /// <param name="browserLanguage">The browser's first supported language, or null.</param>
    public string LanguageAtSignIn(string? storedChoice, string? browserLanguage) =>
        Localization.Supported(storedChoice) ?? Language ?? Localization.Normalize(browserLanguage);

    private static InvalidOperationException Unsupported(string configured) => new(
        $"School:Culture \"{configured}\" is not supported: use en, de or it, or one of them with a region (en-US, de-CH, it-CH), or leave it empty.");
}
