using System.Xml.Linq;

namespace SchoolCrm.Tests.Features.Localization;

public sealed class ResourceFilesTests
{
    public static TheoryData<string> NeutralResourceFiles()
    {
        var data = new TheoryData<string>();
        var web = Path.Combine(RepositoryRoot(), "SchoolCrm.Web");
        foreach (var file in Directory.EnumerateFiles(web, "*.resx", SearchOption.AllDirectories)
                     .Where(f => !f.EndsWith(".de.resx", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
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

    [Theory]
    [MemberData(nameof(NeutralResourceFiles))]
    public void Every_english_text_has_a_german_one_and_the_other_way_round(string relativePath)
    {
        var web = Path.Combine(RepositoryRoot(), "SchoolCrm.Web");
        var english = Read(Path.Combine(web, relativePath));
        var germanPath = Path.Combine(web, Path.ChangeExtension(relativePath, ".de.resx"));
        Assert.True(File.Exists(germanPath), $"{relativePath} has no German file");
        var german = Read(germanPath);

        Assert.Empty(english.Keys.Except(german.Keys));
        Assert.Empty(german.Keys.Except(english.Keys));
        Assert.DoesNotContain(english, e => string.IsNullOrWhiteSpace(e.Value));
        Assert.DoesNotContain(german, e => string.IsNullOrWhiteSpace(e.Value));
    }

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
