using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Domain;

/// <summary>
/// Input that breaks field rules, with every field-level message at once so a form can show them all next to
/// their inputs (a <see cref="DomainException"/> names one problem only).
/// </summary>
public sealed class FieldErrorsException : Exception
{
    public FieldErrorsException(IReadOnlyList<FieldMessage> errors)
        : base("Invalid input: " + string.Join(", ", errors.Select(e => e.Field + " " + e.Code)))
    {
        Errors = errors;
    }

    public FieldErrorsException()
        : this([])
    {
    }

    public FieldErrorsException(string message)
        : base(message)
    {
        Errors = [];
    }

    public FieldErrorsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<FieldMessage> Errors { get; }
}
