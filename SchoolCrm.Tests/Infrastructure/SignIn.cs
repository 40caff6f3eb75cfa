using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SchoolCrm.Tests.Infrastructure;

/// <summary>Signs in the way a person does: through the real sign-in form, over HTTP or in the browser.</summary>
public static partial class SignIn
{
    /// <summary>Loads the sign-in form, then posts it with its antiforgery token. Returns the post's response.</summary>
    public static async Task<HttpResponseMessage> PostLoginFormAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryTokenIn(form),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync("/account/login", content);
    }

    /// <summary>The antiforgery token of the (first) form in a server-rendered page, ready to post back.</summary>
    public static string AntiforgeryTokenIn(string html) => WebUtility.HtmlDecode(AntiforgeryToken().Match(html).Groups[1].Value);

    /// <summary>Signs in through the browser and waits until the app's interactive shell is there.</summary>
    public static async Task AsAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#circuit-ready[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
