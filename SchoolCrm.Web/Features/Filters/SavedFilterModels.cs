using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Web.Features.Leads.List;

namespace SchoolCrm.Web.Features.Filters;

/// <summary>A row of the filter list and a chip of the lead list.</summary>
/// <param name="IsOwn">Saved by whoever asks.</param>
/// <param name="CanEdit">May be changed, renamed and deleted by whoever asks: an own private filter, or any shared
/// one for an admin.</param>
public sealed record SavedFilterSummary(int Id, string Name, string OwnerName, bool IsShared, DateTime UpdatedAt, bool IsOwn, bool CanEdit);

/// <summary>A filter opened in the builder: the tree as saved and the same tree checked against today's catalogue
/// (broken conditions are marked, never dropped).</summary>
public sealed record SavedFilterDetails(
    int Id,
    string Name,
    string OwnerName,
    bool IsShared,
    bool IsOwn,
    bool CanEdit,
    DateTime UpdatedAt,
    Guid Version,
    Filter Filter,
    CheckedFilter Checked);

/// <summary>
/// What the builder needs to offer fields, operators and values: the catalogue the service checks with (its
/// <see cref="FilterCatalogue.Fields"/> in the builder's order, standard first, then custom, archived ones marked by
/// <see cref="LeadField.IsArchived"/>), and the values of the choice fields, of "imported by" and of "has a task of
/// type" (the configured task types in their order).
/// </summary>
public sealed record FilterBuilderOptions(
    FilterCatalogue Catalogue,
    IReadOnlyList<StatusOption> Statuses,
    IReadOnlyList<AssigneeOption> Users,
    IReadOnlyList<CustomFieldDefinition> CustomFields,
    string CurrentUserId,
    bool IsAdmin,
    IReadOnlyList<FilterImportOption> Imports,
    IReadOnlyList<Tasks.TaskTypeOption> TaskTypes);

/// <summary>An import "imported by" offers (<see cref="FilterCatalogue.OfferedImports"/>): its file, when it was
/// started (UTC) and how many leads it created.</summary>
public sealed record FilterImportOption(int Id, string FileName, DateTime QueuedAt, int Created);

/// <summary>A lead of the builder's preview.</summary>
public sealed record FilterPreviewLead(int Id, string Name, string StatusName, string StatusColor);

/// <summary>The live preview: how many leads match, the first ten of them by name, and the conditions left out.</summary>
public sealed record FilterPreview(int Count, IReadOnlyList<FilterPreviewLead> First, IReadOnlyList<CheckedCondition> Broken);

/// <summary>A saved filter as the lead list and the export apply it: the SQL condition and what was left out of it.</summary>
public sealed record AppliedFilter(int Id, string Name, System.Linq.Expressions.Expression<Func<Domain.Leads.Lead, bool>> Where, IReadOnlyList<CheckedCondition> Broken);
