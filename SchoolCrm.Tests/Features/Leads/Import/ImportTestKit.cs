using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Leads.List;
using SchoolCrm.Web.Features.Users;

namespace SchoolCrm.Tests.Features.Leads.Import;

/// <summary>The school the import and export tests work in, and ways to make files and run imports.</summary>
public sealed class ImportTestKit
{
    private ImportTestKit(CrmAppFactory app, AppUser admin, AppUser @operator, Dictionary<string, CustomField> fields, Dictionary<string, int> statuses)
    {
        App = app;
        Admin = admin;
        Operator = @operator;
        Fields = fields;
        Statuses = statuses;
    }

    public CrmAppFactory App { get; }

    public AppUser Admin { get; }

    public AppUser Operator { get; }

    /// <summary>Interests (multiple choice: Music, Sport), Newsletter (checkbox), Budget (number), Open day (date), School (text).</summary>
    public Dictionary<string, CustomField> Fields { get; }

    /// <summary>"New" (the default) and "Contacted".</summary>
    public Dictionary<string, int> Statuses { get; }

    public static async Task<ImportTestKit> CreateAsync(CrmAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
        var op = await app.Services.CreateUserAsync("olga@school.test", Roles.Operator, "Olga Operator");
        await using var db = await DbAsync(app);
        var statuses = new Dictionary<string, int>();
        if (!await db.LeadStatuses.AnyAsync())
        {
            var newStatus = new LeadStatus("New", 0);
            newStatus.SetDefault(true);
            db.AddRange(newStatus, new LeadStatus("Contacted", 1));
            await db.SaveChangesAsync();
        }

        foreach (var s in await db.LeadStatuses.ToListAsync())
        {
            statuses[s.Name] = s.Id;
        }

        var interests = new CustomField("Interests", CustomFieldType.MultipleChoice, 0, false);
        interests.AddOption("Music");
        interests.AddOption("Sport");
        var archived = new CustomField("Old field", CustomFieldType.Text, 9, false);
        archived.Archive();
        db.AddRange(
            interests,
            new CustomField("Newsletter", CustomFieldType.Checkbox, 1, false),
            new CustomField("Budget", CustomFieldType.Number, 2, false),
            new CustomField("Open day", CustomFieldType.Date, 3, false),
            new CustomField("School", CustomFieldType.Text, 4, false),
            archived);
        await db.SaveChangesAsync();
        var fields = await db.CustomFields.Include(f => f.Options).ToDictionaryAsync(f => f.Name);
        return new ImportTestKit(app, admin, op, fields, statuses);
    }

    public static Task<CrmDbContext> DbAsync(CrmAppFactory app) =>
        app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();

    public Task<CrmDbContext> DbAsync() => DbAsync(App);

    public AsyncServiceScope As(AppUser user) => App.Services.CreateScopeAs(user, user == Admin);

    public string NewPath(string extension = ".xlsx") => Path.Combine(App.DataFolder, Guid.NewGuid().ToString("N") + extension);

    /// <summary>An xlsx whose first row is <paramref name="headers"/>, written by MiniExcel as a user's tool would.</summary>
    public string Xlsx(IReadOnlyList<string> headers, params object?[][] rows)
    {
        var path = NewPath();
        WriteXlsx(path, headers, rows);
        return path;
    }

    public static void WriteXlsx(string path, IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        IEnumerable<Dictionary<string, object?>> Lines()
        {
            yield return headers.Select((h, i) => (Key(i), (object?)h)).ToDictionary(x => x.Item1, x => x.Item2);
            foreach (var row in rows)
            {
                yield return Enumerable.Range(0, headers.Count).ToDictionary(Key, i => i < row.Length ? row[i] : null);
            }
        }

        using var stream = File.Create(path);
        stream.SaveAs(Lines(), printHeader: false, configuration: new OpenXmlConfiguration { FastMode = true });
    }

    /// <summary>
    /// A hand-made xlsx: the minimal parts plus the given sheet XML (and shared strings), for cells MiniExcel
    /// cannot write (formulas with cached values) and for hostile files.
    /// </summary>
    public string RawXlsx(string sheetXml, string? sharedStringsXml = null, CompressionLevel level = CompressionLevel.Optimal)
    {
        var path = NewPath();
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string name, string content)
        {
            var entry = zip.CreateEntry(name, level);
            using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
            writer.Write(content);
        }

        Add("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
        Add("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Add("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Add("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
        Add("xl/worksheets/sheet1.xml", sheetXml);
        if (sharedStringsXml is not null)
        {
            Add("xl/sharedStrings.xml", sharedStringsXml);
        }

        return path;
    }

    /// <summary>Sheet XML from rows of ready-made cell XML (each a full &lt;c&gt; element).</summary>
    public static string Sheet(params string[] rowsOfCells)
    {
        var rows = rowsOfCells.Select((cells, i) => $"<row r=\"{(i + 1).ToString(CultureInfo.InvariantCulture)}\">{cells}</row>");
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + string.Concat(rows) + "</sheetData></worksheet>";
    }

    public static string Text(string cell, string text) => $"<c r=\"{cell}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(text)}</t></is></c>";

    /// <summary>Uploads as <paramref name="user"/> and returns the upload's summary.</summary>
    public async Task<UploadSummary> UploadAsync(AppUser user, string path, string? fileName = null)
    {
        await using var scope = As(user);
        await using var file = File.OpenRead(path);
        return await scope.ServiceProvider.GetRequiredService<LeadImportService>().UploadAsync(file, fileName ?? Path.GetFileName(path), CancellationToken.None);
    }

    public static ImportSettings SettingsFor(UploadSummary upload, DuplicatePolicy policy = DuplicatePolicy.Skip, DuplicateMatchKey key = DuplicateMatchKey.Email, bool createMissingStatuses = false, DateOrder order = DateOrder.DayFirst)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return new ImportSettings([.. upload.Columns.Select(c => c.TargetKey)], order, key, policy, createMissingStatuses);
    }

    public async Task<ImportPreview> PreviewAsync(AppUser user, UploadSummary upload, ImportSettings settings)
    {
        await using var scope = As(user);
        return await scope.ServiceProvider.GetRequiredService<LeadImportService>().PreviewAsync(upload.UploadId, settings, CancellationToken.None);
    }

    /// <summary>Queues the import and waits until the worker has finished it; returns its history entry.</summary>
    public async Task<LeadImport> ImportAsync(AppUser user, UploadSummary upload, ImportSettings settings)
    {
        int importId;
        await using (var scope = As(user))
        {
            importId = await scope.ServiceProvider.GetRequiredService<LeadImportService>().StartAsync(upload.UploadId, settings);
        }

        return await WaitForImportAsync(importId);
    }

    /// <summary>
    /// Imports with <paramref name="onProgress"/> called on the worker's thread at every progress step (between
    /// rows, outside any batch transaction), e.g. to cancel or write once rows are being written.
    /// </summary>
    public async Task<LeadImport> ImportWatchingAsync(AppUser user, UploadSummary upload, ImportSettings settings, Action<ImportProgress> onProgress)
    {
        var jobs = App.Services.GetRequiredService<LeadImportJobs>();
        jobs.Changed += onProgress;
        try
        {
            return await ImportAsync(user, upload, settings);
        }
        finally
        {
            jobs.Changed -= onProgress;
        }
    }

    /// <summary>Uploads, previews (as a user does) and imports with the columns as matched.</summary>
    public async Task<LeadImport> ImportFileAsync(string path, DuplicatePolicy policy = DuplicatePolicy.Skip, AppUser? user = null, bool createMissingStatuses = false)
    {
        user ??= Operator;
        var upload = await UploadAsync(user, path);
        var settings = SettingsFor(upload, policy, createMissingStatuses: createMissingStatuses);
        await PreviewAsync(user, upload, settings);
        return await ImportAsync(user, upload, settings);
    }

    /// <summary>
    /// Waits for the worker to say the import finished (its Changed event), not for a time; the two minutes only turn
    /// a hung import into a failed test.
    /// </summary>
    public async Task<LeadImport> WaitForImportAsync(int importId)
    {
        var jobs = App.Services.GetRequiredService<LeadImportJobs>();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ImportProgress progress)
        {
            if (progress.ImportId == importId && progress.Phase == ImportPhase.Finished)
            {
                finished.TrySetResult();
            }
        }

        jobs.Changed += OnChanged;
        try
        {
            // Subscribed first, then looked: an import that finished before the subscription is seen here.
            if (jobs.Find(importId)?.Phase == ImportPhase.Finished)
            {
                finished.TrySetResult();
            }

            try
            {
                await finished.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException("Import " + importId + " did not finish.", ex);
            }
        }
        finally
        {
            jobs.Changed -= OnChanged;
        }

        await using var db = await DbAsync();
        return await db.Set<LeadImport>().AsNoTracking().SingleAsync(i => i.Id == importId);
    }

    public async Task<ExportFile> ExportAsync(AppUser user, IReadOnlyList<string> columns, LeadListQuery? filter = null)
    {
        await using var scope = As(user);
        return await scope.ServiceProvider.GetRequiredService<LeadExportService>().ExportAsync(columns, filter, null, CancellationToken.None);
    }

    public static IReadOnlyList<string> AllColumnKeys(IEnumerable<CustomField> fields) =>
        [.. Enum.GetValues<StandardField>().Select(f => ImportTarget.For(f).Key), .. fields.Where(f => !f.IsArchived).OrderBy(f => f.SortOrder).Select(f => ImportTarget.ForCustomField(f.Id).Key)];

    /// <summary>The rows of the first sheet, the header row first, each cell as MiniExcel reads it.</summary>
    public static List<object?[]> ReadSheet(string path, string? sheetName = null)
    {
        using var stream = File.OpenRead(path);
        return stream.Query(useHeaderRow: false, sheetName: sheetName, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>()
            .Select(r => r.Values.ToArray())
            .ToList();
    }

    public static string SheetXml(string path, string part = "xl/worksheets/sheet1.xml")
    {
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry(part)!.Open());
        return reader.ReadToEnd();
    }

    private static string Key(int i) => "c" + i.ToString(CultureInfo.InvariantCulture);
}
