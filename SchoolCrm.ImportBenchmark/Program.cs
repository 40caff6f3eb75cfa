using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using Npgsql;
using NpgsqlTypes;
using SchoolCrm.Domain;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Common;
using SchoolCrm.Web.Features.Leads.Export;
using SchoolCrm.Web.Features.Leads.Import;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

// The lead import benchmark (issue 4). Run from the repository root:
//   dotnet run -c Release --project SchoolCrm.ImportBenchmark [-- --runs 3 --out docs/benchmarks-import.md]
// On SQLite and PostgreSQL side by side (issue 12), against a server without database name in the connection string
// (e.g. the one scripts/test-postgres.sh starts; each measurement creates and drops a database of its own):
//   dotnet run -c Release --project SchoolCrm.ImportBenchmark -- --provider both --postgres "Host=127.0.0.1;Port=5432;Username=postgres"
//     [--runs 3 --out table.md --server "what the server is (fsync off ...)"]   (the table goes into docs/benchmarks.md)
// Each measurement runs in a child process of its own, so its peak memory is its own.
if (args.Length > 0 && args[0] == "scenario")
{
    var result = await Scenarios.RunAsync(args[1], args[2], args[3]);
    Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}

var runs = Option(args, "--runs", 3);
var output = OptionText(args, "--out", "docs/benchmarks-import.md");
var work = Path.Combine(Path.GetTempPath(), "schoolcrm-import-benchmark");
Directory.CreateDirectory(work);
var small = Path.Combine(work, "leads-10000.xlsx");
var large = Path.Combine(work, "leads-100000.xlsx");
Files.Generate(small, 10_000);
Files.Generate(large, 100_000);

var table = new List<(string Name, string Scenario, string File, List<Result> Results)>
{
    ("Import 10k rows (upload check + preview + import job)", "import", small, []),
    ("Baseline 10k rows (MiniExcel + plain ADO.NET, one transaction)", "baseline", small, []),
    ("Import 100k rows (upload check + preview + import job)", "import", large, []),
    ("Baseline 100k rows (MiniExcel + plain ADO.NET, one transaction)", "baseline", large, []),
    ("EF Core AddRange, change tracking off, 100k rows (for comparison)", "efcore", large, []),
    ("Export 100k leads, all columns", "export", large, []),
};

var provider = OptionText(args, "--provider", "Sqlite");
if (provider != "Sqlite")
{
    var server = OptionText(args, "--postgres", Environment.GetEnvironmentVariable("SCHOOLCRM_TEST_POSTGRES") ?? "");
    if (server.Length == 0)
    {
        throw new InvalidOperationException("--provider " + provider + " needs --postgres \"Host=...;Port=...;Username=...\" (a server; the benchmark makes its databases)");
    }

    var sides = new List<(string Name, string Scenario, string File, List<Result> Results)>();
    foreach (var (file, size) in new[] { (small, "10k"), (large, "100k") })
    {
        if (provider == "both")
        {
            sides.Add(($"SQLite: import {size} rows (upload check + preview + import job)", "import", file, []));
            sides.Add(($"SQLite: baseline {size} rows (MiniExcel + prepared INSERTs)", "baseline", file, []));
        }

        sides.Add(($"PostgreSQL: import {size} rows (upload check + preview + import job)", "import", file, []));
        sides.Add(($"PostgreSQL: baseline {size} rows (MiniExcel + plain binary COPY)", "copy", file, []));
    }

    for (int run = 1; run <= runs; run++)
    {
        foreach (var row in sides)
        {
            var onPostgres = row.Name.StartsWith("PostgreSQL", StringComparison.Ordinal);
            var name = $"{row.Scenario}-{Path.GetFileNameWithoutExtension(row.File)}-{run}";
            var db = onPostgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "import_benchmark_" + name.Replace('-', '_') }.ToString()
                : Path.Combine(work, name + ".db");
            row.Results.Add(Child(row.Scenario, row.File, db));
            Console.WriteLine($"run {run}: {row.Name}: {row.Results[^1]}");
        }
    }

    // The table goes into docs/benchmarks.md by hand, beside what the run's circumstances were (load, server).
    var providersOut = OptionText(args, "--out", Path.Combine(work, "providers.md"));
    var markdown = Report.ProvidersMarkdown(sides, runs, OptionText(args, "--server", "fsync off (scripts/test-postgres.sh)"));
    File.WriteAllText(providersOut, markdown);
    Console.WriteLine(markdown);
    Console.WriteLine("Written to " + providersOut);
    return 0;
}

var only = OptionText(args, "--only", "");
for (int run = 1; run <= runs; run++)
{
    foreach (var row in table.Where(r => only.Length == 0 || only.Split(',').Contains(r.Scenario)))
    {
        var db = Path.Combine(work, $"{row.Scenario}-{Path.GetFileNameWithoutExtension(row.File)}-{run}.db");
        if (row.Scenario == "export")
        {
            // The leads to export are written by a baseline insert in a process of its own, so that the export's
            // peak memory is the export's, not the insert's (until 2026-12-01 both ran in the one process).
            Child("baseline", row.File, db);
        }

        row.Results.Add(Child(row.Scenario, row.File, db));
        Console.WriteLine($"run {run}: {row.Name}: {row.Results[^1]}");
    }
}

if (only.Length > 0)
{
    return 0;
}

File.WriteAllText(output, Report.Markdown(table, runs));
Console.WriteLine("Written to " + output);
return 0;

static Result Child(string scenario, string file, string db)
{
    var self = typeof(Scenarios).Assembly.Location;
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { self, "scenario", scenario, file, db })
    {
        start.ArgumentList.Add(a);
    }

    using var process = Process.Start(start)!;
    var text = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{scenario} failed: {text}");
    }

    return JsonSerializer.Deserialize<Result>(text.Trim().Split('\n')[^1])!;
}

static int Option(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string OptionText(string[] args, string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

/// <summary>One measurement: phases in seconds, rows written, and the process's peak working set.</summary>
/// <param name="CpuSeconds">Processor time of the measured phases, all threads: on a shared, busy machine this moves
/// far less than the wall clock, so ratios are also given in it.</param>
/// <param name="Writer">For the import: the other writer's longest wait during the import job and during the undo.</param>
public sealed record Result(Dictionary<string, double> Seconds, double CpuSeconds, int Rows, double PeakMegabytes, WriterWaits? Writer = null)
{
    public override string ToString() =>
        string.Join(", ", Seconds.Select(s => $"{s.Key} {s.Value:0.00} s")) + $", cpu {CpuSeconds:0.00} s, {Rows} rows, peak {PeakMegabytes:0} MB"
        + (Writer is { } w ? $", other writer: longest wait {w.LongestDuringJob:0.000} s of {w.WritesDuringJob} writes during the job, {w.LongestDuringUndo:0.000} s of {w.WritesDuringUndo} during the undo ({w.UndoSeconds:0.00} s)" : "");
}

/// <param name="LongestDuringJob">Seconds the slowest of the other writer's saves took while the import job ran.</param>
public sealed record WriterWaits(double LongestDuringJob, int WritesDuringJob, double LongestDuringUndo, int WritesDuringUndo, double UndoSeconds);

/// <summary>
/// Another user saving every half second, through the app's own connection settings (30 s busy timeout), while an
/// import or an undo runs: each save is timed, so the longest is the longest anybody waited for the write lock.
/// </summary>
public sealed class OtherWriter(IDbContextFactory<CrmDbContext> factory, string userId) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task<(double Longest, int Writes)>? running;

    public void Start() => running = Task.Run(LoopAsync);

    public async Task<(double Longest, int Writes)> StopAsync()
    {
        await stop.CancelAsync();
        return await running!;
    }

    public async ValueTask DisposeAsync()
    {
        if (running is not null && !stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    private async Task<(double Longest, int Writes)> LoopAsync()
    {
        double longest = 0;
        int writes = 0;
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            await using (var db = await factory.CreateDbContextAsync())
            {
                // What saving a preference does (the export's column choice): one small upsert, its own transaction.
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"UserPreferences\" (\"UserId\", \"Key\", \"Value\") VALUES ({0}, 'benchmark.writer', {1}) ON CONFLICT (\"UserId\", \"Key\") DO UPDATE SET \"Value\" = excluded.\"Value\"",
                    userId,
                    writes.ToString(CultureInfo.InvariantCulture));
            }

            longest = Math.Max(longest, watch.Elapsed.TotalSeconds);
            writes++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (longest, writes);
    }
}

public static class Scenarios
{
    private const string UserId = "benchmark-user";

    private static TimeSpan Cpu;
    private static TimeSpan CpuMark;
    private static WriterWaits? Writer;

    public static async Task<Result> RunAsync(string scenario, string file, string dbPath)
    {
        // Peak memory is only the app's with the app's collector (server GC, see the project file); a property
        // misspelt there once measured workstation GC without anybody noticing. DOTNET_gcServer=0 overrides it for
        // comparisons, and then the report says so.
        if (!System.Runtime.GCSettings.IsServerGC && Environment.GetEnvironmentVariable("DOTNET_gcServer") != "0")
        {
            throw new InvalidOperationException("The benchmark must run with server GC, as SchoolCrm.Web does.");
        }

        var services = await DatabaseAsync(dbPath, fresh: scenario != "export");
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var seconds = new Dictionary<string, double>();
        Cpu = TimeSpan.Zero;
        Writer = null;
        int rows = scenario switch
        {
            "import" => await ImportAsync(services, factory, file, dbPath, seconds),
            "baseline" => Baseline(factory, file, seconds),
            "copy" => await PlainCopyAsync(factory, file, seconds),
            "efcore" => await EfCoreAsync(factory, file, seconds),
            "export" => await ExportAsync(services, factory, file, dbPath, seconds),
            _ => throw new ArgumentException(scenario),
        };
        return new Result(seconds, Cpu.TotalSeconds, rows, Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0, Writer);
    }

    private static async Task<int> ImportAsync(ServiceProvider services, IDbContextFactory<CrmDbContext> factory, string file, string dbPath, Dictionary<string, double> seconds)
    {
        var limits = new ImportLimits();
        var clock = services.GetRequiredService<SchoolClock>();
        var watch = Start();

        var info = SpreadsheetInspector.Inspect(file, file, limits);
        var header = SpreadsheetRows.ReadHeader(file, info);
        List<CustomField> customFields;
        await using (var db = await factory.CreateDbContextAsync())
        {
            customFields = await db.CustomFields.Include(f => f.Options).ToListAsync();
        }

        var matches = ColumnMatcher.Match(header.Headers, LeadColumnLabels.Candidates(customFields));
        var settings = new ImportSettings([.. matches.Select(m => m.Target.Key)]);
        var upload = new ImportUpload
        {
            Id = Guid.NewGuid(), Path = file, FileName = Path.GetFileName(file), UserId = UserId, Info = info,
            HeaderRowNumber = header.RowNumber, Headers = header.Headers, UploadedAt = DateTime.UtcNow,
        };
        var uploads = new ImportUploads(BenchmarkTempFiles(file, dbPath), factory, TimeProvider.System, Options.Create(new ImportLimits()));
        await uploads.AddAsync(upload);
        seconds["upload check"] = Lap(watch);

        await using (var db = await factory.CreateDbContextAsync())
        {
            var planner = await LeadImportPlanner.LoadAsync(db, settings, clock.Today, CancellationToken.None);
            // As LeadImportService.PreviewAsync reads them: the first full read keeps a copy of the rows for the job.
            var errors = uploads.Rows(upload).Where(r => r.RowNumber > header.RowNumber).Select(planner.Plan).Count(p => p.Action == RowAction.Error);
            if (errors > 0)
            {
                throw new InvalidOperationException(errors + " rows with errors in the generated file");
            }
        }

        seconds["preview"] = Lap(watch);

        int importId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var import = LeadImport.Queue(upload.FileName, UserId, DateTime.UtcNow);
            db.Add(import);
            await db.SaveChangesAsync();
            importId = import.Id;
        }

        var jobs = new LeadImportJobs();
        var progress = jobs.Enqueue(new ImportRequest(importId, UserId, upload, settings), info.LastRowNumber - header.RowNumber);
        var job = new LeadImportJob(factory, jobs, uploads, new LeadImportRollback(factory, NullLogger<LeadImportRollback>.Instance), clock, TimeProvider.System, NullLogger<LeadImportJob>.Instance);
        var duringJob = new OtherWriter(factory, UserId);
        Lap(watch);
        duringJob.Start();
        await job.RunAsync(new ImportRequest(importId, UserId, upload, settings), progress, CancellationToken.None);
        seconds["import job"] = Lap(watch);
        seconds["total"] = seconds.Values.Sum();
        var (longestDuringJob, writesDuringJob) = await duringJob.StopAsync();
        File.Delete(upload.RowsPath ?? throw new InvalidOperationException("The preview kept no copy of the rows"));

        await using var check = await factory.CreateDbContextAsync();
        var done = await check.Set<LeadImport>().SingleAsync(i => i.Id == importId);
        if (done.State != LeadImportState.Completed)
        {
            throw new InvalidOperationException("Import ended " + done.State);
        }

        // The undo of the whole import (what LeadImportService.UndoAsync deletes), with the other Writer again;
        // not part of the import's times.
        await using (var duringUndo = new OtherWriter(factory, UserId))
        {
            var undoWatch = Stopwatch.StartNew();
            duringUndo.Start();
            var removed = await LeadImportRollback.DeleteCreatedLeadsAsync(factory, importId, CancellationToken.None);
            var undoSeconds = undoWatch.Elapsed.TotalSeconds;
            var (longestDuringUndo, writesDuringUndo) = await duringUndo.StopAsync();
            if (removed != done.Created)
            {
                throw new InvalidOperationException($"Undo removed {removed} of {done.Created}");
            }

            Writer = new WriterWaits(longestDuringJob, writesDuringJob, longestDuringUndo, writesDuringUndo, undoSeconds);
        }

        return done.Created;
    }

    // What the import is measured against: the same file read by MiniExcel and inserted with one prepared,
    // parameterised INSERT per table in one transaction, with only the conversions the columns need.
    private static int Baseline(IDbContextFactory<CrmDbContext> factory, string file, Dictionary<string, double> seconds)
    {
        var watch = Start();
        using var db = factory.CreateDbContext();
        var statuses = db.LeadStatuses.ToDictionary(s => s.Name, s => s.Id);
        var interests = db.CustomFields.Include(f => f.Options).Single(f => f.Name == "Interests");
        var newsletter = db.CustomFields.Single(f => f.Name == "Newsletter");
        var options = interests.Options.ToDictionary(o => o.Label, o => o.Id);
        var connection = db.Database.GetDbConnection();
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var lead = connection.CreateCommand();
        lead.Transaction = transaction;
        lead.CommandText = """
            INSERT INTO "Leads" ("FirstName","LastName","Email","Phone","Mobile","Zip","City","Province","Address","DateOfBirth","Gender","StatusId",
              "PrivacyConsent","Notes","CaptureDate","CreatedAt","CreatedByUserId","UpdatedAt","UpdatedByUserId","Version",
              "SearchText","FirstNameKey","LastNameKey","EmailKey","AddressKey","CityKey","ProvinceKey")
            VALUES ($p0,$p1,$p2,$p3,$p4,$p5,$p6,$p7,$p8,$p9,$p10,$p11,$p12,$p13,$p14,$p15,$p16,$p17,$p18,$p19,
              $p20,$p21,$p22,$p23,$p24,$p25,$p26) RETURNING "Id"
            """;
        for (int i = 0; i < 27; i++)
        {
            var p = lead.CreateParameter();
            p.ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture);
            lead.Parameters.Add(p);
        }

        using var value = connection.CreateCommand();
        value.Transaction = transaction;
        value.CommandText = """INSERT INTO "CustomFieldValues" ("CustomFieldId","LeadId","BoolValue","OptionId") VALUES ($f,$l,$b,$o)""";
        foreach (var name in new[] { "$f", "$l", "$b", "$o" })
        {
            var p = value.CreateParameter();
            p.ParameterName = name;
            value.Parameters.Add(p);
        }

        lead.Prepare();
        value.Prepare();
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        int rows = 0;
        using var stream = File.OpenRead(file);
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX))
        {
            object Text(string column) => row[column] is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture)! : DBNull.Value;
            lead.Parameters[0].Value = Text("First name");
            lead.Parameters[1].Value = Text("Last name");
            lead.Parameters[2].Value = Text("E-mail");
            lead.Parameters[3].Value = Text("Phone");
            lead.Parameters[4].Value = Text("Mobile");
            lead.Parameters[5].Value = Text("ZIP");
            lead.Parameters[6].Value = Text("City");
            lead.Parameters[7].Value = Text("Province");
            lead.Parameters[8].Value = Text("Address");
            lead.Parameters[9].Value = row["Date of birth"] is DateTime birth ? DateOnly.FromDateTime(birth) : DBNull.Value;
            lead.Parameters[10].Value = Equals(row["Gender"], "m") ? 1 : 2;
            lead.Parameters[11].Value = statuses[(string)row["Status"]!];
            lead.Parameters[12].Value = Equals(row["Privacy consent"], "yes");
            lead.Parameters[13].Value = Text("Notes");
            lead.Parameters[14].Value = today;
            lead.Parameters[15].Value = now;
            lead.Parameters[16].Value = UserId;
            lead.Parameters[17].Value = now;
            lead.Parameters[18].Value = UserId;
            lead.Parameters[19].Value = Guid.NewGuid().ToString().ToUpperInvariant();

            // The folded search and sort keys the schema holds (PersonRecord keeps them; a plain Writer must too).
            object Folded(string column) => TextFolding.FoldOrNull(row[column] is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null) is { } key ? key : DBNull.Value;
            lead.Parameters[20].Value = string.Join(' ', new[] { Folded("First name"), Folded("Last name"), Folded("E-mail"), Folded("Phone"), Folded("Mobile") }.OfType<string>());
            lead.Parameters[21].Value = Folded("First name") is string first ? first : "";
            lead.Parameters[22].Value = Folded("Last name");
            lead.Parameters[23].Value = Folded("E-mail");
            lead.Parameters[24].Value = Folded("Address");
            lead.Parameters[25].Value = Folded("City");
            lead.Parameters[26].Value = Folded("Province");
            var leadId = Convert.ToInt32(lead.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (row["Interests"] is string chosen)
            {
                foreach (var label in chosen.Split(';', StringSplitOptions.TrimEntries))
                {
                    (value.Parameters[0].Value, value.Parameters[1].Value, value.Parameters[2].Value, value.Parameters[3].Value) = (interests.Id, leadId, DBNull.Value, options[label]);
                    value.ExecuteNonQuery();
                }
            }

            if (row["Newsletter"] is not null)
            {
                (value.Parameters[0].Value, value.Parameters[1].Value, value.Parameters[2].Value, value.Parameters[3].Value) = (newsletter.Id, leadId, true, DBNull.Value);
                value.ExecuteNonQuery();
            }

            rows++;
        }

        transaction.Commit();
        seconds["total"] = Lap(watch);
        return rows;
    }

    // The PostgreSQL baseline: the same file read by MiniExcel and written with hand-written binary COPY into the same
    // schema, in one transaction, no app code. COPY returns no keys, so the leads' keys come from their identity
    // sequence, reserved on a second connection (nextval is outside transactions) while the leads stream in; the
    // custom values, a few integers each, are kept and copied after the leads.
    private static async Task<int> PlainCopyAsync(IDbContextFactory<CrmDbContext> factory, string file, Dictionary<string, double> seconds)
    {
        var watch = Start();
        await using var db = await factory.CreateDbContextAsync();
        var statuses = await db.LeadStatuses.ToDictionaryAsync(s => s.Name, s => s.Id);
        var interests = await db.CustomFields.Include(f => f.Options).SingleAsync(f => f.Name == "Interests");
        var newsletter = await db.CustomFields.SingleAsync(f => f.Name == "Newsletter");
        var options = interests.Options.ToDictionary(o => o.Label, o => o.Id);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var keyConnection = new NpgsqlConnection(connection.ConnectionString);
        await keyConnection.OpenAsync();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var keys = new Queue<int>();
        async Task<int> NextKeyAsync()
        {
            if (keys.Count == 0)
            {
                await using var reserve = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('\"Leads\"', 'Id'))::int FROM generate_series(1, 10000)", keyConnection);
                await using var reader = await reserve.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    keys.Enqueue(reader.GetInt32(0));
                }
            }

            return keys.Dequeue();
        }

        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var values = new List<(int Field, int Lead, bool? Bool, int? Option)>();
        int rows = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY "Leads" ("Id","FirstName","LastName","Email","Phone","Mobile","Zip","City","Province","Address","DateOfBirth","Gender","StatusId",
              "PrivacyConsent","Notes","CaptureDate","CreatedAt","CreatedByUserId","UpdatedAt","UpdatedByUserId","Version",
              "SearchText","FirstNameKey","LastNameKey","EmailKey","AddressKey","CityKey","ProvinceKey") FROM STDIN (FORMAT BINARY)
            """))
        {
            async Task TextAsync(string? text)
            {
                if (text is null)
                {
                    await copy.WriteNullAsync();
                }
                else
                {
                    await copy.WriteAsync(text, NpgsqlDbType.Text);
                }
            }

            await using var stream = File.OpenRead(file);
            foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX))
            {
                string? Text(string column) => row[column] is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
                string? Folded(string column) => TextFolding.FoldOrNull(Text(column));
                var leadId = await NextKeyAsync();
                await copy.StartRowAsync();
                await copy.WriteAsync(leadId, NpgsqlDbType.Integer);
                foreach (var column in new[] { "First name", "Last name", "E-mail", "Phone", "Mobile", "ZIP", "City", "Province", "Address" })
                {
                    await TextAsync(Text(column));
                }

                if (row["Date of birth"] is DateTime birth)
                {
                    await copy.WriteAsync(DateOnly.FromDateTime(birth), NpgsqlDbType.Date);
                }
                else
                {
                    await copy.WriteNullAsync();
                }

                await copy.WriteAsync(Equals(row["Gender"], "m") ? 1 : 2, NpgsqlDbType.Integer);
                await copy.WriteAsync(statuses[(string)row["Status"]!], NpgsqlDbType.Integer);
                await copy.WriteAsync(Equals(row["Privacy consent"], "yes"), NpgsqlDbType.Boolean);
                await TextAsync(Text("Notes"));
                await copy.WriteAsync(today, NpgsqlDbType.Date);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(UserId, NpgsqlDbType.Text);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(UserId, NpgsqlDbType.Text);
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);

                // The folded search and sort keys the schema holds, as in the SQLite baseline.
                await TextAsync(string.Join(' ', new[] { Folded("First name"), Folded("Last name"), Folded("E-mail"), Folded("Phone"), Folded("Mobile") }.OfType<string>()));
                await TextAsync(Folded("First name") ?? "");
                foreach (var column in new[] { "Last name", "E-mail", "Address", "City", "Province" })
                {
                    await TextAsync(Folded(column));
                }

                if (row["Interests"] is string chosen)
                {
                    values.AddRange(chosen.Split(';', StringSplitOptions.TrimEntries).Select(label => (interests.Id, leadId, (bool?)null, (int?)options[label])));
                }

                if (row["Newsletter"] is not null)
                {
                    values.Add((newsletter.Id, leadId, true, null));
                }

                rows++;
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("""COPY "CustomFieldValues" ("CustomFieldId","LeadId","BoolValue","OptionId") FROM STDIN (FORMAT BINARY)"""))
        {
            foreach (var (field, lead, flag, option) in values)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(field, NpgsqlDbType.Integer);
                await copy.WriteAsync(lead, NpgsqlDbType.Integer);
                await (flag is { } b ? copy.WriteAsync(b, NpgsqlDbType.Boolean) : copy.WriteNullAsync());
                await (option is { } o ? copy.WriteAsync(o, NpgsqlDbType.Integer) : copy.WriteNullAsync());
            }

            await copy.CompleteAsync();
        }

        await transaction.CommitAsync();
        seconds["total"] = Lap(watch);
        return rows;
    }

    // The alternative the import does not use: EF Core with AddRange in batches, change tracking off, one transaction.
    private static async Task<int> EfCoreAsync(IDbContextFactory<CrmDbContext> factory, string file, Dictionary<string, double> seconds)
    {
        var watch = Start();
        await using var db = await factory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var statuses = await db.LeadStatuses.ToDictionaryAsync(s => s.Name, s => s.Id);
        var interests = await db.CustomFields.Include(f => f.Options).SingleAsync(f => f.Name == "Interests");
        var newsletter = await db.CustomFields.SingleAsync(f => f.Name == "Newsletter");
        var options = interests.Options.ToDictionary(o => o.Label, o => o.Id);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        int rows = 0;
        var batch = new List<Lead>(1000);
        await using var stream = File.OpenRead(file);
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX))
        {
            string? Text(string column) => row[column] is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
            var details = new PersonDetails
            {
                FirstName = Text("First name")!, LastName = Text("Last name"), Email = Text("E-mail"), Phone = Text("Phone"), Mobile = Text("Mobile"),
                Zip = Text("ZIP"), City = Text("City"), Province = Text("Province"), Address = Text("Address"),
                DateOfBirth = row["Date of birth"] is DateTime birth ? DateOnly.FromDateTime(birth) : null,
                Gender = Equals(row["Gender"], "m") ? Gender.Male : Gender.Female, PrivacyConsent = Equals(row["Privacy consent"], "yes"),
                Notes = Text("Notes"), CaptureDate = today,
            };
            var lead = Lead.Create(details, statuses[(string)row["Status"]!], null, UserId, now);
            if (row["Interests"] is string chosen)
            {
                lead.CustomValues.AddRange(chosen.Split(';', StringSplitOptions.TrimEntries).Select(l => CustomFieldValue.Option(interests.Id, options[l])));
            }

            if (row["Newsletter"] is not null)
            {
                lead.CustomValues.Add(CustomFieldValue.Checkbox(newsletter.Id, true));
            }

            batch.Add(lead);
            rows++;
            if (batch.Count == 1000)
            {
                db.Leads.AddRange(batch);
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
                batch.Clear();
            }
        }

        db.Leads.AddRange(batch);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        seconds["total"] = Lap(watch);
        return rows;
    }

    private static async Task<int> ExportAsync(ServiceProvider services, IDbContextFactory<CrmDbContext> factory, string file, string dbPath, Dictionary<string, double> seconds)
    {
        // The leads come from a baseline insert of the same file, run before in another process (see Child).
        var service = new LeadExportService(factory, new CurrentUser(new BenchmarkUser()), new ExportFiles(BenchmarkTempFiles(file, dbPath), factory, TimeProvider.System), BenchmarkTempFiles(file, dbPath), services.GetRequiredService<SchoolClock>());
        var watch = Start();
        var columns = await service.GetColumnsAsync(CancellationToken.None);
        var exported = await service.ExportAsync([.. columns.Select(c => c.Key)], null, null, CancellationToken.None);
        seconds["total"] = Lap(watch);
        File.Delete(exported.Path);
        return exported.Rows;
    }

    // The exported file goes next to the benchmark database, as the app's go under its data folder (on PostgreSQL
    // next to the imported file).
    private static TempFiles BenchmarkTempFiles(string file, string dbPath) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["School:DataFolder"] = Path.GetDirectoryName(Path.GetFullPath(IsPostgreSql(dbPath) ? file : dbPath)),
        }).Build(),
        TimeProvider.System);

    /// <summary>A PostgreSQL connection string (the parent passes one for PostgreSQL), else an SQLite file.</summary>
    private static bool IsPostgreSql(string db) => db.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);

    // A fresh database with the benchmark's user, statuses and fields; or (fresh: false) the one a previous
    // scenario process filled.
    private static async Task<ServiceProvider> DatabaseAsync(string dbPath, bool fresh)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Crm"] = "Data Source=" + dbPath };
        if (IsPostgreSql(dbPath))
        {
            settings = new() { [DatabaseSetup.ProviderSetting] = "PostgreSql", ["ConnectionStrings:Crm"] = dbPath };
            if (fresh)
            {
                await DropPostgreSqlDatabaseAsync(dbPath);
            }
        }

        foreach (var suffix in fresh && !IsPostgreSql(dbPath) ? new[] { "", "-wal", "-shm" } : [])
        {
            File.Delete(dbPath + suffix);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(sp => new SchoolClock(TimeProvider.System, TimeZoneInfo.Utc))
            .AddCrmDatabase(configuration)
            .BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(services);
        if (!fresh)
        {
            return services;
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<CrmDbContext>>().CreateDbContextAsync();
        db.Users.Add(new AppUser { Id = UserId, UserName = "bench@school.test", NormalizedUserName = "BENCH@SCHOOL.TEST", Email = "bench@school.test", NormalizedEmail = "BENCH@SCHOOL.TEST", DisplayName = "Bench" });
        var status = new LeadStatus("New", 0);
        status.SetDefault(true);
        db.AddRange(status, new LeadStatus("Contacted", 1));
        var interests = new CustomField("Interests", CustomFieldType.MultipleChoice, 0, false);
        interests.AddOption("Music");
        interests.AddOption("Sport");
        db.AddRange(interests, new CustomField("Newsletter", CustomFieldType.Checkbox, 1, false));
        await db.SaveChangesAsync();
        return services;
    }

    // A measurement's database of an earlier run goes; the start-up migration creates it again.
    private static async Task DropPostgreSqlDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database!;
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // The name is the benchmark's own (import_benchmark_...); an identifier cannot be a parameter.
        command.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }

    // Wall time since the last lap; the processor time of the lap is added to the measured total.
    private static double Lap(Stopwatch watch)
    {
        var elapsed = watch.Elapsed.TotalSeconds;
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        if (watch.IsRunning && CpuMark != TimeSpan.Zero)
        {
            Cpu += now - CpuMark;
        }

        CpuMark = now;
        watch.Restart();
        return elapsed;
    }

    private static Stopwatch Start()
    {
        CpuMark = Process.GetCurrentProcess().TotalProcessorTime;
        return Stopwatch.StartNew();
    }

    private sealed class BenchmarkUser : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, UserId)], "Benchmark"))));
    }
}

public static class Report
{
    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The side-by-side run (--provider both/PostgreSql): one table of medians, for docs/benchmarks.md.</summary>
    public static string ProvidersMarkdown(List<(string Name, string Scenario, string File, List<Result> Results)> table, int runs, string server)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("# Lead import on SQLite and PostgreSQL (generated by SchoolCrm.ImportBenchmark --provider)");
        s.AppendLine();
        s.AppendLine(inv, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average at the end {LoadAverage()}; PostgreSQL server: {server}. Median of {runs} runs, each in a fresh process with a fresh database; peak memory is the process's (server GC).");
        s.AppendLine();
        s.AppendLine("| Measurement | Import job | Whole (wall) | CPU | Peak memory | Other writer's longest save during the job | Undo |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in table)
        {
            var job = row.Results[0].Seconds.ContainsKey("import job") ? $"{Median(row.Results.Select(r => r.Seconds["import job"])).ToString("0.00", inv)} s" : "";
            var writer = row.Results[0].Writer is null ? "" : $"{row.Results.Max(r => r.Writer!.LongestDuringJob).ToString("0.000", inv)} s ({row.Results.Sum(r => r.Writer!.WritesDuringJob)} saves)";
            var undo = row.Results[0].Writer is null ? "" : $"{Median(row.Results.Select(r => r.Writer!.UndoSeconds)).ToString("0.00", inv)} s";
            s.AppendLine(inv, $"| {row.Name} | {job} | {Median(row.Results.Select(r => r.Seconds["total"])):0.00} s | {Median(row.Results.Select(r => r.CpuSeconds)):0.00} s | {Median(row.Results.Select(r => r.PeakMegabytes)):0} MB | {writer} | {undo} |");
        }

        s.AppendLine();
        foreach (var size in new[] { "10k", "100k" })
        {
            var import = table.FirstOrDefault(r => r.Name.StartsWith("PostgreSQL: import " + size + " ", StringComparison.Ordinal));
            var copy = table.FirstOrDefault(r => r.Name.StartsWith("PostgreSQL: baseline " + size + " ", StringComparison.Ordinal));
            if (import.Results is { Count: > 0 } && copy.Results is { Count: > 0 })
            {
                var baseline = Median(copy.Results.Select(r => r.Seconds["total"]));
                s.AppendLine(inv, $"PostgreSQL {size}: import job {Median(import.Results.Select(r => r.Seconds["import job"])) / baseline:0.00}x the plain COPY baseline, whole import {Median(import.Results.Select(r => r.Seconds["total"])) / baseline:0.00}x; in CPU time {Median(import.Results.Select(r => r.CpuSeconds)) / Median(copy.Results.Select(r => r.CpuSeconds)):0.00}x.");
            }
        }

        return s.ToString();
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string Markdown(List<(string Name, string Scenario, string File, List<Result> Results)> table, int runs)
    {
        static double Total((string Name, string Scenario, string File, List<Result> Results) row, string phase = "total") => Median(row.Results.Select(r => r.Seconds[phase]));
        static double Peak((string Name, string Scenario, string File, List<Result> Results) row) => Median(row.Results.Select(r => r.PeakMegabytes));
        static double Cpu((string Name, string Scenario, string File, List<Result> Results) row) => Median(row.Results.Select(r => r.CpuSeconds));

        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine("# Lead import and export benchmark");
        s.AppendLine();
        s.AppendLine(inv, $"Load average while measuring: {LoadAverage()}.");
        s.AppendLine(inv, $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `dotnet run -c Release --project SchoolCrm.ImportBenchmark` on {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, SQLite file database in WAL mode.");
        s.AppendLine(inv, $"Median of {runs} runs; each measurement in a fresh process with a fresh database, so \"peak memory\" is that process's peak working set (runtime included), with {(Environment.GetEnvironmentVariable("DOTNET_gcServer") == "0" ? "workstation GC (DOTNET_gcServer=0)" : "server GC, as SchoolCrm.Web runs")}.");
        s.AppendLine("The generated file has 16 columns (names, e-mail, phones as number cells, ZIP, city, date of birth as date cells, gender, status, privacy, notes, a multiple-choice and a checkbox custom field).");
        s.AppendLine();
        s.AppendLine("| Measurement | Median wall time | Phases (median) | Median CPU time | Peak memory | Target |");
        s.AppendLine("| --- | ---: | --- | ---: | ---: | --- |");
        foreach (var row in table)
        {
            var phases = row.Results[0].Seconds.Keys.Where(k => k != "total").Select(k => $"{k} {Total(row, k).ToString("0.00", inv)} s");
            var target = row.Scenario switch
            {
                "import" when row.File.Contains("100000", StringComparison.Ordinal) => "job ≤ 15 s, whole ≤ 25 s, ≤ 250 MB, other writer waits ≤ 1 s",
                "import" => "≤ 3 s",
                "export" => "≤ 6 s, ≤ 200 MB",
                _ => "",
            };
            s.AppendLine(inv, $"| {row.Name} | {Total(row):0.00} s | {string.Join(", ", phases)} | {Cpu(row):0.00} s | {Peak(row):0} MB | {target} |");
        }

        var import100 = table.Single(r => r.Scenario == "import" && r.File.Contains("100000", StringComparison.Ordinal));
        var base100 = table.Single(r => r.Scenario == "baseline" && r.File.Contains("100000", StringComparison.Ordinal));
        var ef100 = table.Single(r => r.Scenario == "efcore");
        s.AppendLine();
        s.AppendLine(inv, $"Import job (read, validate, match duplicates, write) against the baseline (read, write), 100k rows: **{Total(import100, "import job") / Total(base100):0.00}x**.");
        s.AppendLine(inv, $"Whole import including the upload check and the preview (the two passes over the file): {Total(import100) / Total(base100):0.00}x.");
        s.AppendLine(inv, $"In processor time (less disturbed by other work on the machine): whole import {Cpu(import100) / Cpu(base100):0.00}x the baseline.");
        static double Wait(IEnumerable<Result> results, Func<WriterWaits, double> pick) => results.Max(r => pick(r.Writer!));
        s.AppendLine(inv, $"Another user saving every 0.5 s during the 100k import job waited at most **{Wait(import100.Results, w => w.LongestDuringJob):0.00} s** for the write lock (the longest of {import100.Results.Sum(r => r.Writer!.WritesDuringJob)} saves in {runs} runs; target ≤ 1 s). Each transaction of the job writes for about {LeadImportJob.BatchTime.TotalMilliseconds:0} ms.");
        s.AppendLine(inv, $"Undo of the 100k import (deleting its leads, {LeadImportRollback.DeleteBatchSize:N0} per statement): median {Median(import100.Results.Select(r => r.Writer!.UndoSeconds)):0.00} s; the same writer waited at most {Wait(import100.Results, w => w.LongestDuringUndo):0.00} s.");
        s.AppendLine(inv, $"EF Core AddRange with change tracking off, for comparison: {Total(ef100) / Total(base100):0.00}x the baseline, which is why new leads are written with prepared ADO.NET commands (SchoolCrm.Web/Data/BulkInsert.cs).");
        s.AppendLine(inv, $"Export of 100k leads with all {Enum.GetValues<StandardField>().Length + 2} columns: {Total(table.Single(r => r.Scenario == "export")):0.00} s, peak {Peak(table.Single(r => r.Scenario == "export")):0} MB.");
        s.AppendLine();
        s.AppendLine("## Reading the figures");
        s.AppendLine();
        s.AppendLine("- The targets are wall-clock times on a 2-core machine. This machine is shared with other work (see the load average), so wall times of one measurement vary between runs, at worst by 3x; processor time is the steadier figure and gives the same ratios.");
        s.AppendLine("- The baseline alone (MiniExcel reading plus plain prepared INSERTs, nothing else) is already above the 10k and 100k time targets here; about a fifth of it is MiniExcel reading the file, the rest is SQLite inserting into `Leads` with its 13 indexes and foreign keys, and into `CustomFieldValues` with 8. What the import adds on top of the baseline is what it controls; that is the 1.3x target.");
        s.AppendLine("- The other writer is a separate task in the import's process that upserts a user preference every half second through the app's connection settings (30 s busy timeout), as a colleague's save would; the figure is its slowest save, lock wait included.");
        s.AppendLine("- The import job is what runs after the user presses Import: read the rows the preview kept (SheetRowFile), validate every value against the CRM's current lists, match duplicates, insert in short transactions of about a fifth of a second each. The upload check (hostile-file inspection: one streaming XML pass) and the preview (the one MiniExcel read of the file, with validation, keeping a compact copy of the rows) happen before, while the user looks at the column mapping; they are listed separately and included in the whole-import ratio.");
        s.AppendLine("- Peak memory is the whole process's (runtime, EF model, SQLite cache included), with the app's garbage collector (server GC); rows are streamed, so it grows little from 10k to 100k rows.");
        s.AppendLine("- EF Core `AddRange` in batches of 1,000 with change tracking off is the road not taken: well above the baseline in wall time and about twice it in processor time.");
        return s.ToString();
    }
}
