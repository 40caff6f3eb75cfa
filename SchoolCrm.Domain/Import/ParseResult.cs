using System.Diagnostics.CodeAnalysis;

namespace SchoolCrm.Domain.Import;

/// <summary>
/// Either a parsed value (which may be null for a blank cell) or an error, never both.
/// </summary>
public readonly record struct ParseResult<T>
{
    // Parsers always name the result type (ParseResult<bool?>.Success(true)), so the factories
    // read well despite CA1000; a non-generic Failure could not infer T anyway.
    private const string FactoriesJustification = "Factories are called with the type argument spelled out.";

    private ParseResult(bool ok, T? value, ValueError? error)
    {
        Ok = ok;
        Value = value;
        Error = error;
    }

    public bool Ok { get; }

    public T? Value { get; }

    public ValueError? Error { get; }

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = FactoriesJustification)]
    public static ParseResult<T> Success(T value)
    {
        return new ParseResult<T>(true, value, null);
    }

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = FactoriesJustification)]
    public static ParseResult<T> Failure(string code, string value)
    {
        return new ParseResult<T>(false, default, new ValueError(code, value));
    }
}
