using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Tests.Features.Leads;
using SchoolCrm.Tests.Infrastructure;

namespace SchoolCrm.Tests.Features.Nodes;

/// <summary>The Data Protection keys live in the database; an upgrade brings the old key files along.</summary>
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task Key_files_of_an_older_version_are_copied_into_the_database_so_what_they_protected_still_opens()
    {
        await using var app = new CrmAppFactory();
        // What the app before this version did: keys as files under the data folder's keys/, application "SchoolCrm".
        var keys = new DirectoryInfo(Path.Combine(app.DataFolder, "keys"));
        var before = DataProtectionProvider.Create(keys, b => b.SetApplicationName("SchoolCrm"));
        var sealedBefore = before.CreateProtector("test").Protect("signed in before the upgrade");

        var now = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        Assert.Equal("signed in before the upgrade", now.Unprotect(sealedBefore));
        await using var db = app.Db();
        var stored = await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
        Assert.Equal(keys.GetFiles("key-*.xml").Select(f => Path.GetFileNameWithoutExtension(f.Name)).Order(), stored.Order());
    }

    [Fact]
    public async Task A_new_school_keeps_its_keys_in_the_database_and_writes_no_key_files()
    {
        await using var app = new CrmAppFactory();
        var sealedText = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("x");

        Assert.NotEmpty(sealedText);
        await using var db = app.Db();
        Assert.True(await db.DataProtectionKeys.AnyAsync());
        Assert.False(Directory.Exists(Path.Combine(app.DataFolder, "keys")));
    }
}
