using System.Globalization;
using System.Linq.Expressions;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;

namespace SchoolCrm.Domain.Leads.Fields;

/// <summary>
/// The catalogue of lead fields: every standard field once, in the order the form and the spreadsheet template
/// show them. A new standard field is one entry here (plus its property, label and migration). It lives in the
/// domain because it is only expressions over <see cref="Lead"/> and plain facts, and saved filters (also domain)
/// translate their conditions from it; the labels' texts and the sorts that need other tables (status order,
/// user names, option order) are resolved in the web project.
/// </summary>
public static class LeadFields
{
    private const string CustomPrefix = "cf";

    private const LeadFieldUses Everywhere = LeadFieldUses.Listed | LeadFieldUses.Exportable | LeadFieldUses.Filterable;

    private const LeadFieldUses Searched = Everywhere | LeadFieldUses.Searchable;

    /// <summary>The list's name column: first and last name together, sorted by last name, then first name.</summary>
    public static readonly LeadField Name = new(
        "name", "FullName", LeadFieldType.Text, Read(l => l.LastName == null ? l.FirstName : l.FirstName + " " + l.LastName))
    {
        LabelKey = Label("FullName"),
        Uses = LeadFieldUses.Listed,
        Sort = LeadFieldSort.Column,
        SortKeys = [Read(l => l.LastNameKey), Read(l => l.FirstNameKey)],
    };

    public static readonly LeadField CompanyName = Text("company", nameof(Lead.CompanyName), l => l.CompanyName, PersonFieldLimits.CompanyName, StandardField.CompanyName, Searched, folded: l => l.CompanyNameKey, sorted: true);

    public static readonly LeadField FirstName = Text("firstname", nameof(Lead.FirstName), l => l.FirstName, PersonFieldLimits.FirstName, StandardField.FirstName, LeadFieldUses.Exportable | LeadFieldUses.Filterable | LeadFieldUses.Searchable, folded: l => l.FirstNameKey, sorted: false);

    public static readonly LeadField LastName = Text("lastname", nameof(Lead.LastName), l => l.LastName, PersonFieldLimits.LastName, StandardField.LastName, LeadFieldUses.Exportable | LeadFieldUses.Filterable | LeadFieldUses.Searchable, folded: l => l.LastNameKey, sorted: false);

    public static readonly LeadField CaptureDate = Own("captured", nameof(Lead.CaptureDate), LeadFieldType.Date, Read(l => l.CaptureDate), StandardField.CaptureDate, Everywhere, person: true);

    public static readonly LeadField Email = Text("email", nameof(Lead.Email), l => l.Email, PersonFieldLimits.Email, StandardField.Email, Searched, folded: l => l.EmailKey, sorted: true);

    public static readonly LeadField TaxCode = Text("taxcode", nameof(Lead.TaxCode), l => l.TaxCode, PersonFieldLimits.TaxCode, StandardField.TaxCode, Searched, folded: null, sorted: true);

    public static readonly LeadField Address = Text("address", nameof(Lead.Address), l => l.Address, PersonFieldLimits.Address, StandardField.Address, Everywhere, folded: l => l.AddressKey, sorted: true);

    public static readonly LeadField City = Text("city", nameof(Lead.City), l => l.City, PersonFieldLimits.City, StandardField.City, Everywhere, folded: l => l.CityKey, sorted: true);

    public static readonly LeadField Zip = Text("zip", nameof(Lead.Zip), l => l.Zip, PersonFieldLimits.Zip, StandardField.Zip, Everywhere, folded: null, sorted: true);

    public static readonly LeadField Province = Text("province", nameof(Lead.Province), l => l.Province, PersonFieldLimits.Province, StandardField.Province, Everywhere, folded: l => l.ProvinceKey, sorted: true);

    public static readonly LeadField Phone = Text("phone", nameof(Lead.Phone), l => l.Phone, PersonFieldLimits.Phone, StandardField.Phone, Searched, folded: null, sorted: true);

    public static readonly LeadField Mobile = Text("mobile", nameof(Lead.Mobile), l => l.Mobile, PersonFieldLimits.Mobile, StandardField.Mobile, Searched, folded: null, sorted: true);

    public static readonly LeadField Gender = Own("gender", nameof(Lead.Gender), LeadFieldType.Gender, Read(l => l.Gender), StandardField.Gender, Everywhere, person: true);

    public static readonly LeadField Status = new("status", nameof(Lead.StatusId), LeadFieldType.Status, Read(l => l.StatusId))
    {
        LabelKey = Label(nameof(Lead.StatusId)),
        Uses = Everywhere,
        Sort = LeadFieldSort.StatusOrder,
        ImportTarget = ImportTarget.For(StandardField.Status),
    };

    public static readonly LeadField AssignedTo = new("assignee", nameof(Lead.AssignedToUserId), LeadFieldType.User, Read(l => l.AssignedToUserId))
    {
        LabelKey = Label(nameof(Lead.AssignedToUserId)),
        Uses = Everywhere,
        Sort = LeadFieldSort.UserName,
        ImportTarget = ImportTarget.For(StandardField.AssignedTo),
    };

    public static readonly LeadField DateOfBirth = Own("born", nameof(Lead.DateOfBirth), LeadFieldType.Date, Read(l => l.DateOfBirth), StandardField.DateOfBirth, Everywhere, person: true);

    public static readonly LeadField PrivacyConsent = Own("privacy", nameof(Lead.PrivacyConsent), LeadFieldType.Checkbox, Read(l => l.PrivacyConsent), StandardField.PrivacyConsent, Everywhere, person: true);

    /// <summary>Up to 4000 characters: exported and filtered, but no list column.</summary>
    public static readonly LeadField Notes = Text("notes", nameof(Lead.Notes), l => l.Notes, PersonFieldLimits.Notes, StandardField.Notes, LeadFieldUses.Exportable | LeadFieldUses.Filterable, folded: null, sorted: false, LeadFieldType.LongText);

    public static readonly LeadField CreatedAt = Own("created", nameof(Lead.CreatedAt), LeadFieldType.Instant, Read(l => l.CreatedAt), null, LeadFieldUses.Listed | LeadFieldUses.Filterable, person: false);

    public static readonly LeadField CreatedBy = new("createdby", nameof(Lead.CreatedByUserId), LeadFieldType.User, Read(l => l.CreatedByUserId))
    {
        LabelKey = Label(nameof(Lead.CreatedByUserId)),
        Uses = LeadFieldUses.Filterable,
    };

    public static readonly LeadField UpdatedAt = Own("updated", nameof(Lead.UpdatedAt), LeadFieldType.Instant, Read(l => l.UpdatedAt), null, LeadFieldUses.Listed | LeadFieldUses.Filterable, person: false);

    public static readonly LeadField UpdatedBy = new("updatedby", nameof(Lead.UpdatedByUserId), LeadFieldType.User, Read(l => l.UpdatedByUserId))
    {
        LabelKey = Label(nameof(Lead.UpdatedByUserId)),
        Uses = LeadFieldUses.Filterable,
    };

    /// <summary>Whether the lead has a comment at all: a checkbox for saved filters.</summary>
    public static readonly LeadField HasComments = ConditionField("comments", "HasComments", LeadFieldType.Checkbox, Read(l => l.Comments.Any()));

    /// <summary>When the newest comment was written (an edit does not count as a new comment); null without comments.</summary>
    public static readonly LeadField LastComment = ConditionField("lastcomment", "LastComment", LeadFieldType.Instant, Read(l => l.Comments.Max(c => (DateTime?)c.CreatedAt)));

    /// <summary>The import that brought the lead in (<see cref="Lead.ImportId"/>).</summary>
    public static readonly LeadField ImportedBy = ConditionField("import", nameof(Lead.ImportId), LeadFieldType.Import, Read(l => l.ImportId));

    /// <summary>Whether the lead has a task that is not done: a checkbox for saved filters.</summary>
    public static readonly LeadField HasOpenTasks = ConditionField("opentasks", "HasOpenTasks", LeadFieldType.Checkbox, Read(l => l.Tasks.Any(t => t.CompletedAt == null)));

    /// <summary>Whether an open task's deadline has passed, "now" being when the filter runs (as My tasks' Overdue).</summary>
    public static readonly LeadField HasOverdueTask = ConditionField("overduetask", "HasOverdueTask", LeadFieldType.OverdueTask, OpenDeadlines());

    /// <summary>The next deadline still ahead among the lead's open tasks, "within the next N days".</summary>
    public static readonly LeadField NextDeadline = ConditionField("nextdeadline", "NextDeadline", LeadFieldType.NextDeadline, OpenDeadlines());

    /// <summary>The types of the lead's tasks, open and done.</summary>
    public static readonly LeadField HasTaskOfType = ConditionField("tasktype", "HasTaskOfType", LeadFieldType.TaskType, Read(l => l.Tasks.Select(t => t.TaskTypeId)));

    /// <summary>Every standard field, in form and template order (the list's name column first).</summary>
    public static readonly IReadOnlyList<LeadField> Standard =
    [
        Name, CompanyName, FirstName, LastName, CaptureDate, Email, TaxCode, Address, City, Zip, Province, Phone, Mobile,
        Gender, Status, AssignedTo, DateOfBirth, PrivacyConsent, Notes, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy,
    ];

    /// <summary>
    /// What saved filters ask about a lead besides its fields: its comments, the import that brought it in and its
    /// tasks. Not standard fields (no form, column or history line shows them), only conditions, in the builder's order.
    /// </summary>
    public static readonly IReadOnlyList<LeadField> FilterOnly = [HasComments, LastComment, ImportedBy, HasOpenTasks, HasOverdueTask, NextDeadline, HasTaskOfType];

    /// <summary>The standard columns the list offers, in the column chooser's order.</summary>
    public static readonly IReadOnlyList<LeadField> Listed = [.. Standard.Where(f => f.IsListed)];

    /// <summary>The standard columns of the template and of the import's field choices, in template order.</summary>
    public static readonly IReadOnlyList<LeadField> Importable = [.. Standard.Where(f => f.IsImportable)];

    public static readonly IReadOnlyList<LeadField> Exportable = [.. Standard.Where(f => f.IsExportable)];

    /// <summary>The fields the quick search looks in.</summary>
    public static readonly IReadOnlyList<LeadField> Searchable = [.. Standard.Where(f => f.IsSearchable)];

    /// <summary>The fields of <see cref="PersonRecord"/> (what a student has too), in form order.</summary>
    public static readonly IReadOnlyList<LeadField> Person = [.. Standard.Where(f => f.IsPersonField)];

    private static readonly Dictionary<string, LeadField> ByKeys = Standard.ToDictionary(f => f.Key, StringComparer.Ordinal);

    private static readonly Dictionary<string, LeadField> ByNames = Standard.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>A standard field by its <see cref="LeadField.Key"/>, or null.</summary>
    public static LeadField? ByKey(string? key) => key is not null && ByKeys.TryGetValue(key, out var field) ? field : null;

    /// <summary>A standard field by its <see cref="LeadField.Name"/> (a history entry's field), or null.</summary>
    public static LeadField? ByName(string? name) => name is not null && ByNames.TryGetValue(name, out var field) ? field : null;

    /// <summary>The standard field imported through <paramref name="field"/>.</summary>
    public static LeadField ForImport(StandardField field) => Importable.Single(f => f.ImportTarget.Standard == field);

    public static string CustomKey(int fieldId) => CustomPrefix + fieldId.ToString(CultureInfo.InvariantCulture);

    public static bool TryGetCustomFieldId(string key, out int fieldId)
    {
        ArgumentNullException.ThrowIfNull(key);
        fieldId = 0;
        return key.StartsWith(CustomPrefix, StringComparison.Ordinal)
            && int.TryParse(key.AsSpan(CustomPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out fieldId);
    }

    public static LeadField ForCustomField(CustomFieldDefinition field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return ForCustomField(field.Id, field.Name, field.Type, field.IsArchived);
    }

    /// <summary>
    /// A custom field as a catalogue entry; its value expressions read the typed value table. An archived field
    /// is only filterable (leads may still hold its values); an active one is listed, exported and imported too.
    /// A multiple-choice field has several values per lead, so there is no one value to sort by.
    /// </summary>
    public static LeadField ForCustomField(int id, string name, CustomFieldType type, bool isArchived = false)
    {
        var (fieldType, value) = type switch
        {
            CustomFieldType.Number => (LeadFieldType.Number, (LambdaExpression)Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.NumberValue).FirstOrDefault())),
            CustomFieldType.Date => (LeadFieldType.Date, Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.DateValue).FirstOrDefault())),
            CustomFieldType.Checkbox => (LeadFieldType.Checkbox, Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.BoolValue).FirstOrDefault())),
            CustomFieldType.SingleChoice => (LeadFieldType.SingleChoice, Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.OptionId).FirstOrDefault())),
            CustomFieldType.MultipleChoice => (LeadFieldType.MultipleChoice, Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.OptionId))),
            CustomFieldType.LongText => (LeadFieldType.LongText, Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.TextValue).FirstOrDefault())),
            _ => (LeadFieldType.Text, Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.TextValue).FirstOrDefault())),
        };
        var sort = type switch
        {
            CustomFieldType.MultipleChoice => LeadFieldSort.None,
            CustomFieldType.SingleChoice => LeadFieldSort.OptionOrder,
            _ => LeadFieldSort.Computed,
        };
        return new LeadField(CustomKey(id), CustomValueRules.FieldKey(id), fieldType, value)
        {
            CustomFieldId = id,
            CustomFieldName = name,
            IsArchived = isArchived,
            MaxLength = type switch
            {
                CustomFieldType.Text => CustomFieldValue.TextMaxLength,
                CustomFieldType.LongText => CustomFieldValue.LongTextMaxLength,
                _ => null,
            },
            Uses = isArchived ? LeadFieldUses.Filterable : Everywhere,
            Sort = isArchived ? LeadFieldSort.None : sort,
            SortKeys = isArchived || sort != LeadFieldSort.Computed ? []
                : fieldType is LeadFieldType.Text or LeadFieldType.LongText ? [Read(l => l.CustomValues.Where(v => v.CustomFieldId == id).Select(v => v.TextKey).FirstOrDefault())]
                : [value],
            ImportTarget = isArchived ? ImportTarget.Ignore : ImportTarget.ForCustomField(id),
        };
    }

    // The one place a standard field's label key is spelled: "Field_" + its property name, in LeadsText.
    private static string Label(string name) => "Field_" + name;

    private static Expression<Func<Lead, T>> Read<T>(Expression<Func<Lead, T>> value) => value;

    // The deadlines of the lead's open tasks; the task conditions compare them with "now" when the filter runs.
    private static Expression<Func<Lead, IEnumerable<DateTime>>> OpenDeadlines() =>
        l => l.Tasks.Where(t => t.CompletedAt == null).Select(t => t.DeadlineUtc);

    /// <param name="folded">The stored folded key (<see cref="LeadField.FoldedKey"/>), or null for a field without one.</param>
    /// <param name="sorted">Whether the list sorts the column: by the folded key where there is one, else as stored.</param>
    private static LeadField Text(
        string key,
        string name,
        Expression<Func<Lead, string?>> value,
        int maxLength,
        StandardField import,
        LeadFieldUses uses,
        Expression<Func<Lead, string?>>? folded,
        bool sorted,
        LeadFieldType type = LeadFieldType.Text) =>
        new(key, name, type, value)
        {
            LabelKey = Label(name),
            MaxLength = maxLength,
            Uses = uses,
            Sort = sorted ? LeadFieldSort.Column : LeadFieldSort.None,
            SortKeys = sorted ? [folded ?? value] : [],
            FoldedKey = folded,
            ImportTarget = ImportTarget.For(import),
            IsPersonField = true,
        };

    // A condition's field only (see FilterOnly): labelled like a standard field, nothing else.
    private static LeadField ConditionField(string key, string name, LeadFieldType type, LambdaExpression value) =>
        new(key, name, type, value) { LabelKey = Label(name), Uses = LeadFieldUses.Filterable, ImportTarget = ImportTarget.Ignore };

    // A field that sorts by its own value.
    private static LeadField Own(string key, string name, LeadFieldType type, LambdaExpression value, StandardField? import, LeadFieldUses uses, bool person) =>
        new(key, name, type, value)
        {
            LabelKey = Label(name),
            Uses = uses,
            Sort = LeadFieldSort.Column,
            SortKeys = [value],
            ImportTarget = import is { } field ? ImportTarget.For(field) : ImportTarget.Ignore,
            IsPersonField = person,
        };
}
