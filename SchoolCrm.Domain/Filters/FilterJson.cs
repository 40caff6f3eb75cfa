using System.Text;
using System.Text.Json;

namespace SchoolCrm.Domain.Filters;

/// <summary>The outcome of reading a stored filter: the filter, or why it cannot be read (a code).</summary>
public sealed record FilterReadResult(Filter? Filter, string? Error)
{
    public bool IsRead => Filter is not null;
}

/// <summary>
/// A filter as JSON, version 1: <c>{ "v": 1, "all": [ {"field": "city", "op": "is", "value": "Bolzano"},
/// { "any": [ ... ] } ] }</c>. A group is an object with exactly one of "all" (AND) or "any" (OR); the root is a
/// group that also carries "v". A condition is an object with "field", "op" and, where the operator takes one,
/// "value" (see docs/saved-filters.md). Reading never throws: a document that is not JSON, has another version
/// or another shape is refused with a code; conditions are checked later against the catalogue
/// (<see cref="FilterCheck"/>), so a filter with a deleted field still reads.
/// </summary>
public static class FilterJson
{
    public const int Version = 1;

    /// <summary>Groups inside groups, the root counting as the first: deeper filters are refused.</summary>
    public const int MaxDepth = 6;

    /// <summary>Conditions in one filter: enough for any filter a person builds, and SQL stays small.</summary>
    public const int MaxConditions = 100;

    public const string InvalidJson = "filter.json_invalid";
    public const string UnsupportedVersion = "filter.version_unsupported";
    public const string InvalidShape = "filter.shape_invalid";
    public const string TooDeep = "filter.too_deep";
    public const string TooManyConditions = "filter.too_many_conditions";

    private const string VersionKey = "v";
    private const string AllKey = "all";
    private const string AnyKey = "any";
    private const string FieldKey = "field";
    private const string OpKey = "op";
    private const string ValueKey = "value";

    public static FilterReadResult Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new(null, InvalidJson);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 * MaxDepth + 8 });
        }
        catch (JsonException)
        {
            return new(null, InvalidJson);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, InvalidShape);
            }

            if (!root.TryGetProperty(VersionKey, out var version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var v) || v != Version)
            {
                return new(null, UnsupportedVersion);
            }

            var reader = new Reader();
            var group = reader.Group(root, depth: 1, allowed: [VersionKey]);
            return reader.Error is { } error ? new(null, error) : new(new Filter(group!), null);
        }
    }

    public static string Write(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber(VersionKey, Version);
            WriteMembers(writer, filter.Root);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteMembers(Utf8JsonWriter writer, FilterGroup group)
    {
        writer.WriteStartArray(group.Join == FilterJoin.All ? AllKey : AnyKey);
        foreach (var member in group.Members)
        {
            writer.WriteStartObject();
            switch (member)
            {
                case FilterGroup nested:
                    WriteMembers(writer, nested);
                    break;
                case FilterCondition condition:
                    writer.WriteString(FieldKey, condition.Field);
                    writer.WriteString(OpKey, condition.Op);
                    if (condition.Value is { } value)
                    {
                        writer.WritePropertyName(ValueKey);
                        value.WriteTo(writer);
                    }

                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private sealed class Reader
    {
        private int conditions;

        public string? Error { get; private set; }

        public FilterGroup? Group(JsonElement element, int depth, string[] allowed)
        {
            if (depth > MaxDepth)
            {
                return Fail<FilterGroup>(TooDeep);
            }

            var hasAll = element.TryGetProperty(AllKey, out var all);
            var hasAny = element.TryGetProperty(AnyKey, out var any);
            var members = hasAll ? all : any;
            if (hasAll == hasAny || members.ValueKind != JsonValueKind.Array
                || element.EnumerateObject().Any(p => p.Name is not (AllKey or AnyKey) && !allowed.Contains(p.Name)))
            {
                return Fail<FilterGroup>(InvalidShape);
            }

            var list = new List<FilterNode>();
            foreach (var member in members.EnumerateArray())
            {
                FilterNode? node = member.ValueKind != JsonValueKind.Object ? Fail<FilterNode>(InvalidShape)
                    : member.TryGetProperty(FieldKey, out _) ? Condition(member)
                    : Group(member, depth + 1, []);
                if (node is null)
                {
                    return null;
                }

                list.Add(node);
            }

            return new FilterGroup(hasAll ? FilterJoin.All : FilterJoin.Any, list);
        }

        private FilterCondition? Condition(JsonElement element)
        {
            if (++conditions > MaxConditions)
            {
                return Fail<FilterCondition>(TooManyConditions);
            }

            if (!element.TryGetProperty(FieldKey, out var field) || field.ValueKind != JsonValueKind.String
                || !element.TryGetProperty(OpKey, out var op) || op.ValueKind != JsonValueKind.String
                || element.EnumerateObject().Any(p => p.Name is not (FieldKey or OpKey or ValueKey)))
            {
                return Fail<FilterCondition>(InvalidShape);
            }

            JsonElement? value = element.TryGetProperty(ValueKey, out var v) && v.ValueKind != JsonValueKind.Null ? v.Clone() : null;
            return new FilterCondition(field.GetString()!, op.GetString()!, value);
        }

        private T? Fail<T>(string error)
            where T : class
        {
            Error ??= error;
            return null;
        }
    }
}
