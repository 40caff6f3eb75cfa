using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

/// <summary>
/// The generated lead files of the import benchmark (fixed seed, so every run reads the same rows). Its own file so
/// that SchoolCrm.Benchmarks' notification benchmark imports the very same 100k-row file (it links this file).
/// </summary>
// In the global namespace like the rest of the import benchmark's top-level program, also where it is linked.
#pragma warning disable CA1050
public static class Files
{
    private static readonly string[] FirstNames = ["Anna", "Luca", "Giulia", "Marco", "Sofia", "Jürgen", "Lena", "Matteo", "Chiara", "Lukas", "Francesca", "Paul", "Elena", "Jonas", "Sara", "Felix"];
    private static readonly string[] LastNames = ["Rossi", "Bianchi", "Müller", "Schmidt", "Esposito", "Romano", "Schneider", "Fischer", "Colombo", "Ricci", "Weber", "Marino", "Wagner", "Greco", "Becker", "Bruno"];
    private static readonly string[] Cities = [.. "Napoli,Roma,Milano,Torino,München,Berlin,Hamburg,Bologna,Firenze,Köln,Bari,Stuttgart".Split(',')];

    public static readonly string[] Headers =
        ["First name", "Last name", "E-mail", "Phone", "Mobile", "ZIP", "City", "Province", "Address", "Date of birth", "Gender", "Status", "Privacy consent", "Notes", "Interests", "Newsletter"];

    public static void Generate(string path, int rows)
    {
        if (File.Exists(path))
        {
            return;
        }

        var random = new Random(42);
        IEnumerable<Dictionary<string, object?>> Lines()
        {
            yield return Headers.Select((h, i) => (i, h)).ToDictionary(x => "c" + x.i, x => (object?)x.h);
            for (int i = 0; i < rows; i++)
            {
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                yield return new Dictionary<string, object?>
                {
                    ["c0"] = first,
                    ["c1"] = last,
                    ["c2"] = $"{first}.{last}.{i}@example.it".ToLowerInvariant(),
                    ["c3"] = "081 " + random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture),
                    ["c4"] = (double)(393_000_000_000L + random.Next(0, 999_999_999)),
                    ["c5"] = (double)random.Next(10_000, 99_999),
                    ["c6"] = Cities[random.Next(Cities.Length)],
                    ["c7"] = "NA",
                    ["c8"] = "Via Roma " + random.Next(1, 200).ToString(CultureInfo.InvariantCulture),
                    ["c9"] = new DateTime(1995, 1, 1).AddDays(random.Next(0, 6000)),
                    ["c10"] = random.Next(2) == 0 ? "m" : "f",
                    ["c11"] = random.Next(3) == 0 ? "Contacted" : "New",
                    ["c12"] = random.Next(2) == 0 ? "yes" : "no",
                    ["c13"] = random.Next(4) == 0 ? "Called back on open day, interested in music classes." : null,
                    ["c14"] = random.Next(3) switch { 0 => "Music", 1 => "Music; Sport", _ => null },
                    ["c15"] = random.Next(2) == 0 ? "x" : null,
                };
            }
        }

        using var stream = File.Create(path);
        stream.SaveAs(Lines(), printHeader: false, configuration: new OpenXmlConfiguration { FastMode = true });
    }
}
#pragma warning restore CA1050
