namespace SchoolCrm.Domain.Import;

/// <summary>
/// Why a cell could not be read. <see cref="Code"/> is a stable key (for example "date.impossible")
/// that the UI maps to a localized message; <see cref="Value"/> is the cell as the user saw it.
/// </summary>
public sealed record ValueError(string Code, string Value);
