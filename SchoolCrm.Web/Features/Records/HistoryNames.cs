using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads;

namespace SchoolCrm.Web.Features.Records;

/// <summary>
/// History stores ids for statuses, users and options; this looks up their current names for a batch of
/// history rows (one query per kind) and says how each value is to be formatted, for leads and students alike.
/// </summary>
public sealed class HistoryNames
{
    private static readonly HashSet<string> Events = [LeadService.CreatedEvent, "Converted", .. Tasks.TaskHistory.Events];

    private readonly Dictionary<int, string> statuses;
    private readonly Dictionary<string, string> users;
    private readonly Dictionary<int, CustomFieldDefinition> fields;
    private readonly Dictionary<int, string> options;

    private HistoryNames(
        Dictionary<int, string> statuses,
        Dictionary<string, string> users,
        Dictionary<int, CustomFieldDefinition> fields)
    {
        this.statuses = statuses;
        this.users = users;
        this.fields = fields;
        options = fields.Values.SelectMany(f => f.Options).ToDictionary(o => o.Id, o => o.Label);
    }

    public static async Task<HistoryNames> LoadAsync(
        CrmDbContext db, IEnumerable<(string Field, string? OldValue, string? NewValue)> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var list = rows.ToList();
        IEnumerable<string> ValuesOf(string field) =>
            list.Where(r => r.Field == field).SelectMany(r => new[] { r.OldValue, r.NewValue }).OfType<string>().Distinct();

        var statusIds = ValuesOf(nameof(Lead.StatusId)).Select(ParseId).OfType<int>().ToList();
        var userIds = ValuesOf(nameof(Lead.AssignedToUserId)).ToList();
        var fieldIds = list.Select(r => CustomValueRules.TryParseFieldKey(r.Field, out var id) ? id : (int?)null).OfType<int>().ToHashSet();

        var statuses = statusIds.Count == 0
            ? []
            : await db.LeadStatuses.AsNoTracking().Where(s => statusIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var users = userIds.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var fields = fieldIds.Count == 0
            ? []
            : (await CustomValueStore.LoadFieldsAsync(db, ct)).Where(f => fieldIds.Contains(f.Id)).ToDictionary(f => f.Id);
        return new HistoryNames(statuses, users, fields);
    }

    public HistoryItem Resolve(long id, DateTime at, string userName, string field, string? oldValue, string? newValue)
    {
        if (CustomValueRules.TryParseFieldKey(field, out var fieldId))
        {
            if (!fields.TryGetValue(fieldId, out var definition))
            {
                return new HistoryItem(id, at, userName, field, null, HistoryValueKind.Text, oldValue, newValue);
            }

            var kind = KindOf(definition.Type);
            return definition.HasOptions
                ? new HistoryItem(id, at, userName, field, definition.Name, kind, OptionNames(oldValue), OptionNames(newValue))
                : new HistoryItem(id, at, userName, field, definition.Name, kind, oldValue, newValue);
        }

        return field switch
        {
            nameof(Lead.StatusId) => new HistoryItem(id, at, userName, field, null, HistoryValueKind.Name, StatusName(oldValue), StatusName(newValue)),
            nameof(Lead.AssignedToUserId) => new HistoryItem(id, at, userName, field, null, HistoryValueKind.Name, UserName(oldValue), UserName(newValue)),
            nameof(PersonRecord.CaptureDate) or nameof(PersonRecord.DateOfBirth) or "EnrolmentDate" =>
                new HistoryItem(id, at, userName, field, null, HistoryValueKind.Date, oldValue, newValue),
            nameof(PersonRecord.PrivacyConsent) => new HistoryItem(id, at, userName, field, null, HistoryValueKind.Boolean, oldValue, newValue),
            nameof(PersonRecord.Gender) => new HistoryItem(id, at, userName, field, null, HistoryValueKind.Gender, oldValue, newValue),
            _ when Events.Contains(field) => new HistoryItem(id, at, userName, field, null, HistoryValueKind.Event, oldValue, newValue),
            _ => new HistoryItem(id, at, userName, field, null, HistoryValueKind.Text, oldValue, newValue),
        };
    }

    private static HistoryValueKind KindOf(CustomFieldType type) => type switch
    {
        CustomFieldType.Number => HistoryValueKind.Number,
        CustomFieldType.Date => HistoryValueKind.Date,
        CustomFieldType.Checkbox => HistoryValueKind.Boolean,
        CustomFieldType.SingleChoice or CustomFieldType.MultipleChoice => HistoryValueKind.Name,
        _ => HistoryValueKind.Text,
    };

    private static int? ParseId(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    // A status, user or option that no longer exists still shows something: its stored id.
    private string? StatusName(string? value) =>
        value is null ? null : ParseId(value) is { } id && statuses.TryGetValue(id, out var name) ? name : "#" + value;

    private string? UserName(string? value) =>
        value is null ? null : users.TryGetValue(value, out var name) ? name : "#" + value;

    private string? OptionNames(string? value) =>
        value is null
            ? null
            : string.Join(", ", value.Split(',').Select(part => ParseId(part) is { } id && options.TryGetValue(id, out var label) ? label : "#" + part));
}
