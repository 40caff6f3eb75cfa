using System.Xml.Linq;

namespace SchoolCrm.Tests.Hosting;

public sealed class ResourceFilesTests
{
    /// <summary>Every language but English, which is the neutral X.resx.</summary>
    private static readonly string[] Translations = ["de", "it"];

    public static TheoryData<string> NeutralResourceFiles()
    {
        var data = new TheoryData<string>();
        var web = Path.Combine(RepositoryRoot(), "SchoolCrm.Web");
        foreach (var file in Directory.EnumerateFiles(web, "*.resx", SearchOption.AllDirectories)
                     .Where(f => !Translations.Any(t => f.EndsWith($".{t}.resx", StringComparison.Ordinal)) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(web, file));
        }

        return data;
    }

    [Fact]
    public void The_web_project_has_resource_files()
    {
        Assert.NotEmpty(NeutralResourceFiles());
    }

    [Fact]
    public void The_test_covers_every_language_the_app_speaks()
    {
        Assert.Equal(["en", .. Translations], SchoolCrm.Web.Hosting.Localization.SupportedCultures);
    }

    [Theory]
    [MemberData(nameof(NeutralResourceFiles))]
    public void Every_english_text_has_a_german_and_an_italian_one_and_the_other_way_round(string relativePath)
    {
        var web = Path.Combine(RepositoryRoot(), "SchoolCrm.Web");
        var english = Read(Path.Combine(web, relativePath));
        Assert.DoesNotContain(english, e => string.IsNullOrWhiteSpace(e.Value));
        foreach (var language in Translations)
        {
            var path = Path.Combine(web, Path.ChangeExtension(relativePath, $".{language}.resx"));
            Assert.True(File.Exists(path), $"{relativePath} has no {language} file");
            var translated = Read(path);

            Assert.Empty(english.Keys.Except(translated.Keys));
            Assert.Empty(translated.Keys.Except(english.Keys));
            Assert.DoesNotContain(translated, e => string.IsNullOrWhiteSpace(e.Value));
            // A placeholder lost in translation would throw or drop a value at run time.
            Assert.All(english, e => Assert.Equal(Placeholders(e.Value), Placeholders(translated[e.Key])));
        }
    }

    private static string Placeholders(string text) =>
        string.Join(",", System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchoolCrm.Blazor.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SchoolCrm.Blazor.sln not found above the test output");
    }
}
