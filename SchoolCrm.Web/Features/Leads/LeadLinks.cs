using System.Globalization;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Web.Features.Leads;

/// <summary>
/// Links between the list and one lead. The list keeps its state (page, sort, filters) in its URL and hands
/// it over as returnUrl; only a local path is followed back, never another site.
/// </summary>
public static class LeadLinks
{
    public const string List = "/leads";

    public static string SafeReturnUrl(string? returnUrl) => LocalUrl.Or(returnUrl, List);

    public static string Lead(int id, string? returnUrl = null) => WithReturn("/leads/" + Id(id), returnUrl);

    public static string Edit(int id, string? returnUrl = null) => WithReturn("/leads/" + Id(id) + "/edit", returnUrl);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string WithReturn(string path, string? returnUrl) =>
        string.IsNullOrEmpty(returnUrl) ? path : path + "?returnUrl=" + Uri.EscapeDataString(SafeReturnUrl(returnUrl));
}
