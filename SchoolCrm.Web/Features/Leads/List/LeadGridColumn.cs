using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace SchoolCrm.Web.Features.Leads.List;

/// <summary>
/// A lead list column whose sort key is the column key (a TemplateColumn's own key is a random id), so the
/// grid's sort definitions say which column to sort by in SQL.
/// </summary>
public sealed class LeadGridColumn : TemplateColumn<LeadListRow>
{
    [Parameter]
    [EditorRequired]
    public string Key { get; set; } = "";

    public override string PropertyName => Key;
}
