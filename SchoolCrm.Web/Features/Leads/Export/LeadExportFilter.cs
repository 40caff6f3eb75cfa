namespace SchoolCrm.Web.Features.Leads.Export;

/// <summary>
/// What the lead list shows right now, as far as the export needs it. A stand-in until the list's own
/// LeadQueries composition exists; then the export takes that instead.
/// </summary>
/// <param name="AssignedToUserId">Only leads of this operator (the list's "me" is the signed-in user's id).</param>
/// <param name="Unassigned">Only leads assigned to nobody.</param>
/// <param name="Search">The list's quick search over names, company, e-mail, phones and tax code.</param>
public sealed record LeadExportFilter(int? StatusId = null, string? AssignedToUserId = null, bool Unassigned = false, string? Search = null);
