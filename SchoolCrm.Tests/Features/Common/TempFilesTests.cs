using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Features.Common;

namespace SchoolCrm.Tests.Features.Common;

public sealed class TempFilesTests : IDisposable
{
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "schoolcrm-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dataFolder))
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    [Fact]
    public void Temporary_files_live_in_the_data_folder_not_the_system_temp_folder()
    {
        var files = Files(TimeProvider.System);

        var path = files.NewPath(".xlsx");

        Assert.Equal(Path.Combine(dataFolder, "temp"), Path.GetDirectoryName(path));
        Assert.True(Directory.Exists(files.Folder));
    }

    [Fact]
    public async Task A_write_that_fails_leaves_no_file_behind()
    {
        var files = Files(TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => files.WriteAsync(".xlsx", async (output, ct) =>
        {
            await output.WriteAsync("Anna;anna@example.it"u8.ToArray(), ct);
            throw new InvalidOperationException("disk full");
        }, CancellationToken.None));

        Assert.Empty(Directory.GetFiles(files.Folder));
    }

    [Fact]
    public void The_sweep_deletes_files_unused_for_an_hour_and_keeps_the_others()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var files = Files(time);
        var old = Write(files);
        var fresh = Write(files);
        var usedAgain = Write(files);
        File.SetLastWriteTimeUtc(old, time.GetUtcNow().UtcDateTime);
        File.SetLastWriteTimeUtc(fresh, time.GetUtcNow().UtcDateTime);
        File.SetLastWriteTimeUtc(usedAgain, time.GetUtcNow().UtcDateTime);

        time.Advance(TimeSpan.FromMinutes(40));
        File.SetLastWriteTimeUtc(fresh, time.GetUtcNow().UtcDateTime);
        files.Touch(usedAgain);
        time.Advance(TimeSpan.FromMinutes(21));
        var deleted = files.DeleteExpired();

        Assert.Equal(1, deleted);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(usedAgain));
    }

    [Fact]
    public async Task The_sweeper_deletes_expired_files_while_the_app_runs()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var files = Files(time);
        using var sweeper = new TempFileSweeper(files, time, NullLogger<TempFileSweeper>.Instance);
        await sweeper.StartAsync(CancellationToken.None);
        var path = Write(files);
        files.Touch(path);

        time.Advance(TempFiles.KeepFor + TempFileSweeper.Every);

        // The sweep runs on the sweeper's own loop: wait for the state it leaves, not for a time.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(path) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.False(File.Exists(path));
        await sweeper.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_starting_app_deletes_expired_files_but_keeps_fresh_ones_another_node_may_still_need()
    {
        // Written before the app starts, as a crashed run or another node on the shared folder leaves them.
        await using var app = new CrmAppFactory();
        var folder = Path.Combine(app.DataFolder, "temp");
        Directory.CreateDirectory(folder);
        var expired = Path.Combine(folder, "upload-of-a-crashed-run.xlsx");
        await File.WriteAllTextAsync(expired, "personal data");
        File.SetLastWriteTimeUtc(expired, DateTime.UtcNow - TempFiles.KeepFor - TimeSpan.FromMinutes(1));
        var fresh = Path.Combine(folder, "upload-another-node-holds.xlsx");
        await File.WriteAllTextAsync(fresh, "personal data");
        var elsewhere = Path.Combine(app.DataFolder, "not-temporary.txt");
        await File.WriteAllTextAsync(elsewhere, "kept");

        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is TempFileSweeper);

        Assert.False(File.Exists(expired));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(elsewhere));
    }

    [Fact]
    public void The_shared_folder_setting_puts_the_files_there()
    {
        var shared = Path.Combine(dataFolder, "share");
        var files = new TempFiles(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["School:DataFolder"] = dataFolder,
                [TempFiles.SharedFolderSetting] = shared,
            }).Build(),
            TimeProvider.System);

        Assert.Equal(shared, Path.GetDirectoryName(files.NewPath(".xlsx")));
        Assert.Equal(Path.Combine(shared, "a.xlsx"), files.PathOf("a.xlsx"));
    }

    private TempFiles Files(TimeProvider time) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["School:DataFolder"] = dataFolder }).Build(),
        time);

    private static string Write(TempFiles files)
    {
        var path = files.NewPath(".xlsx");
        File.WriteAllText(path, "personal data");
        return path;
    }
}
