using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Users;

/// <summary>
/// On a database without users: creates the roles, the first admin and a starting set of statuses and task
/// types. A database that has any user is never touched.
/// </summary>
public sealed class FirstAdminBootstrap(
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    IDbContextFactory<CrmDbContext> dbFactory,
    IConfiguration configuration,
    SchoolClock clock,
    ILogger<FirstAdminBootstrap> logger)
{
    public const string DefaultAdminEmail = "admin@localhost";

    /// <summary>Runs the bootstrap once at start-up, in a scope of its own.</summary>
    public static async Task RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FirstAdminBootstrap>().RunAsync();
    }

    public async Task RunAsync(CancellationToken ct = default)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        if (await users.Users.AnyAsync(ct))
        {
            return;
        }

        var email = configuration["Bootstrap:AdminEmail"];
        var password = configuration["Bootstrap:AdminPassword"];
        var generated = string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password);
        if (generated)
        {
            email = DefaultAdminEmail;
            password = GeneratePassword();
        }

        var admin = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "Administrator",
            LockoutEnabled = true,
            CreatedAt = clock.UtcNow,
        };
        var created = await users.CreateAsync(admin, password!);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                "The first admin could not be created: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
        await SeedConfigurationAsync(ct);

        if (generated)
        {
            // Written once, on the console only: the password is never stored anywhere else in clear text.
            Console.WriteLine();
            Console.WriteLine("==================================================================");
            Console.WriteLine($" SchoolCrm first admin: {email}");
            Console.WriteLine($" Password:              {password}");
            Console.WriteLine(" Sign in and change it under your user menu -> Change password.");
            Console.WriteLine("==================================================================");
            Console.WriteLine();
            logger.LogWarning("Created the first admin {Email} with a generated password (printed on the console once)", email);
        }
        else
        {
            logger.LogInformation("Created the first admin {Email} from the Bootstrap settings", email);
        }
    }

    private async Task SeedConfigurationAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.LeadStatuses.AnyAsync(ct))
        {
            var first = new LeadStatus("New", 0, "#1E88E5");
            first.SetDefault(true);
            db.LeadStatuses.AddRange(
                first,
                new LeadStatus("Contacted", 1, "#FB8C00"),
                new LeadStatus("Interested", 2, "#43A047"),
                new LeadStatus("Not interested", 3, "#757575"));
        }

        if (!await db.TaskTypes.AnyAsync(ct))
        {
            db.TaskTypes.AddRange(new TaskType("Call", 0), new TaskType("E-mail", 1), new TaskType("Meeting", 2));
        }

        await db.SaveChangesAsync(ct);
    }

    private static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string digits = "23456789";
        const string symbols = "!#$%&*+-=?@";
        const string all = upper + lower + digits + symbols;
        var chars = new char[20];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        for (var i = 4; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
