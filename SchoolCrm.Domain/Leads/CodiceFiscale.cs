namespace SchoolCrm.Domain.Leads;

public static class CodiceFiscale
{
    public static bool LooksLikeCodiceFiscale(string? value) => value?.Trim().Length == 16;

    public static bool HasValidCheckCharacter(string value) => value.Length == 16;
}
