using System.Globalization;
using System.Text;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// The lead list's state as a URL and back. Only values that differ from the defaults are written, so the
/// plain list is just "/leads". The page number in the URL counts from 1, as people do.
/// </summary>
public static class LeadListUrl
{
    public const string Path = "/leads";

    public static string For(LeadListQuery query)
    {
        var defaults = new LeadListQuery();
        var parts = new List<(string Name, string Value)>();
        if (query.Page > 0)
        {
            parts.Add(("page", (query.Page + 1).ToString(CultureInfo.InvariantCulture)));
        }

        if (query.PageSize != defaults.PageSize)
        {
            parts.Add(("size", query.PageSize.ToString(CultureInfo.InvariantCulture)));
        }

        if (query.Sort != defaults.Sort)
        {
            parts.Add(("sort", query.Sort));
        }

        if (query.Descending)
        {
            parts.Add(("desc", "true"));
        }

        if (query.StatusId is { } status)
        {
            parts.Add(("status", status.ToString(CultureInfo.InvariantCulture)));
        }

        if (query.FilterId is { } filter)
        {
            parts.Add(("filter", filter.ToString(CultureInfo.InvariantCulture)));
        }

        if (query.Assignee.ToUrlValue() is { } assignee)
        {
            parts.Add(("assignee", assignee));
        }

        if (!string.IsNullOrEmpty(query.Search))
        {
            parts.Add(("q", query.Search));
        }

        if (!query.Columns.SequenceEqual(defaults.Columns))
        {
            parts.Add(("cols", string.Join(',', query.Columns)));
        }

        if (parts.Count == 0)
        {
            return Path;
        }

        var url = new StringBuilder(Path);
        for (var i = 0; i < parts.Count; i++)
        {
            url.Append(i == 0 ? '?' : '&').Append(parts[i].Name).Append('=').Append(Uri.EscapeDataString(parts[i].Value));
        }

        return url.ToString();
    }

    /// <summary>Reads the query-string values; anything missing or out of range falls back to the default.</summary>
    public static LeadListQuery Parse(int? page, int? size, string? sort, bool? desc, int? status, int? filter, string? assignee, string? search, string? columns)
    {
        var defaults = new LeadListQuery();
        return new LeadListQuery
        {
            Page = (page ?? 1) - 1,
            PageSize = size ?? defaults.PageSize,
            Sort = string.IsNullOrWhiteSpace(sort) ? defaults.Sort : sort.Trim(),
            Descending = desc ?? false,
            StatusId = status,
            FilterId = filter,
            Assignee = AssigneeFilter.FromUrlValue(assignee),
            Search = search,
            Columns = string.IsNullOrWhiteSpace(columns)
                ? defaults.Columns
                : columns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        }.Normalized();
    }
}
