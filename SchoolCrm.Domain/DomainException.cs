namespace SchoolCrm.Domain;

/// <summary>
/// A broken business rule. <see cref="Code"/> is a stable key the UI turns into a localized message;
/// <see cref="Field"/> names the input it belongs to, when there is one.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(string code, string? field = null)
        : base(code)
    {
        Code = code;
        Field = field;
    }

    public DomainException()
        : this("domain.error")
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = message;
    }

    public string Code { get; } = "domain.error";

    public string? Field { get; }
}
