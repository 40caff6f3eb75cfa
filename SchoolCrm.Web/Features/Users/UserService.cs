using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Notifications;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Users;

public sealed record UserRow(string Id, string DisplayName, string Email, string Role, bool IsDisabled, DateTime CreatedAt);

public sealed record AssignableUser(string Id, string DisplayName);

public sealed record NewUser(string DisplayName, string Email, string Role, string Password);

/// <summary>
/// Something the admin typed that cannot be saved. <see cref="Field"/> is DisplayName, Email, Role or Password;
/// for Password, <see cref="Code"/> is Identity's error code (PasswordTooShort, ...), otherwise a domain error code.
/// </summary>
public sealed record FieldError(string Field, string Code);

/// <summary>
/// The admins' user management. Input mistakes come back as <see cref="FieldError"/>s so a dialog can show them
/// next to the fields; refused actions (not an admin, the last admin) throw <see cref="DomainException"/>.
/// </summary>
public sealed class UserService(
    IServiceScopeFactory scopes,
    IDbContextFactory<CrmDbContext> dbFactory,
    CurrentUser currentUser,
    SchoolClock clock,
    NotificationConnections notificationConnections,
    ILogger<UserService> logger)
{
    public const int DisplayNameMaxLength = 100;

    /// <summary>
    /// Serializes the changes that may take away an active admin (disable, role change): each checks "another active
    /// admin stays" and then writes, and two admins disabling or demoting each other at once on PostgreSQL's READ
    /// COMMITTED would both see the other one still active (see <see cref="ProviderDifferences.SerializeAsync"/>).
    /// </summary>
    private const long AdminsLockKey = 5373011003;

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default)
    {
        await currentUser.RequireAdminAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking()
            .OrderBy(u => u.DisplayName)
            .Select(u => new UserRow(
                u.Id,
                u.DisplayName,
                u.Email ?? "",
                db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin))
                    ? Roles.Admin
                    : Roles.Operator,
                u.IsDisabled,
                u.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>Active users, for "assigned to" dropdowns; any signed-in user may ask.</summary>
    public async Task<IReadOnlyList<AssignableUser>> ListAssignableAsync(CancellationToken ct = default)
    {
        await currentUser.GetAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled)
            .OrderBy(u => u.DisplayName)
            .Select(u => new AssignableUser(u.Id, u.DisplayName))
            .ToListAsync(ct);
    }

    /// <summary>Creates an active user with the role and initial password. Empty on success.</summary>
    public async Task<IReadOnlyList<FieldError>> CreateAsync(NewUser input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await currentUser.RequireAdminAsync();

        var errors = new List<FieldError>();
        var displayName = CleanDisplayName(input.DisplayName, errors);
        var email = input.Email?.Trim() ?? "";
        if (email.Length == 0)
        {
            errors.Add(new FieldError("Email", "required"));
        }

        CheckRole(input.Role, errors);
        if (string.IsNullOrEmpty(input.Password))
        {
            errors.Add(new FieldError("Password", "required"));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return [new FieldError("Email", "user.email_taken")];
        }

        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            LockoutEnabled = true,
            CreatedAt = clock.UtcNow,
        };

        // The user and their role are saved together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
        {
            return ToFieldErrors(created);
        }

        var added = await users.AddToRoleAsync(user, input.Role);
        if (!added.Succeeded)
        {
            return ToFieldErrors(added);
        }

        await transaction.CommitAsync();
        logger.LogInformation("User {UserId} created with role {Role}", user.Id, input.Role);
        return [];
    }

    /// <summary>Changes the display name and the role. The last active admin keeps the admin role.</summary>
    public async Task<IReadOnlyList<FieldError>> UpdateAsync(string userId, string displayName, string role)
    {
        await currentUser.RequireAdminAsync();
        var errors = new List<FieldError>();
        var cleanName = CleanDisplayName(displayName, errors);
        CheckRole(role, errors);
        if (errors.Count > 0)
        {
            return errors;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.SerializeAsync(AdminsLockKey, CancellationToken.None);
        var user = await FindAsync(users, userId);
        var wasAdmin = await users.IsInRoleAsync(user, Roles.Admin);
        var roleChanges = wasAdmin != (role == Roles.Admin);
        if (roleChanges && wasAdmin && !user.IsDisabled)
        {
            await EnsureAnotherActiveAdminAsync(db, user.Id);
        }

        user.DisplayName = cleanName;
        ThrowIfFailed(await users.UpdateAsync(user));
        if (roleChanges)
        {
            ThrowIfFailed(await users.RemoveFromRolesAsync(user, Roles.All.Where(r => r != role)));
            ThrowIfFailed(await users.AddToRoleAsync(user, role));

            // Their cookie and open circuits still carry the old role: a new stamp makes them sign in again
            // within the revalidation interval.
            ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
            logger.LogInformation("User {UserId} now has role {Role}", user.Id, role);
        }

        await transaction.CommitAsync();
        return [];
    }

    /// <summary>
    /// A disabled user cannot sign in, is not offered as assignee and loses open sessions within the revalidation
    /// interval; their history stays. The last active admin cannot be disabled.
    /// </summary>
    public async Task SetDisabledAsync(string userId, bool disabled)
    {
        await currentUser.RequireAdminAsync();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.SerializeAsync(AdminsLockKey, CancellationToken.None);
        var user = await FindAsync(users, userId);
        if (user.IsDisabled == disabled)
        {
            return;
        }

        if (disabled && await users.IsInRoleAsync(user, Roles.Admin))
        {
            await EnsureAnotherActiveAdminAsync(db, user.Id);
        }

        user.IsDisabled = disabled;
        ThrowIfFailed(await users.UpdateAsync(user));
        if (disabled)
        {
            // Cookies and circuits check the stamp: a new one ends their sessions.
            ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        }

        await transaction.CommitAsync();
        if (disabled)
        {
            // The hub checks a user only when a tab connects: close the tabs that are listening now.
            notificationConnections.CloseAll(user.Id);
        }

        logger.LogInformation("User {UserId} {Action}", user.Id, disabled ? "disabled" : "enabled");
    }

    /// <summary>Sets a new password chosen by the admin and lifts a lockout. Empty on success.</summary>
    public async Task<IReadOnlyList<FieldError>> ResetPasswordAsync(string userId, string newPassword)
    {
        await currentUser.RequireAdminAsync();
        if (string.IsNullOrEmpty(newPassword))
        {
            return [new FieldError("Password", "required")];
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);

        // The reset-token route validates the password and renews the security stamp (other sessions end).
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, newPassword);
        if (!reset.Succeeded)
        {
            return ToFieldErrors(reset);
        }

        ThrowIfFailed(await users.SetLockoutEndDateAsync(user, null));
        ThrowIfFailed(await users.ResetAccessFailedCountAsync(user));
        logger.LogInformation("Password of user {UserId} reset by an admin", user.Id);
        return [];
    }

    private static string CleanDisplayName(string? displayName, List<FieldError> errors)
    {
        var name = displayName?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new FieldError("DisplayName", "name.required"));
        }
        else if (name.Length > DisplayNameMaxLength)
        {
            errors.Add(new FieldError("DisplayName", "user.name_too_long"));
        }

        return name;
    }

    private static void CheckRole(string? role, List<FieldError> errors)
    {
        if (role is null || !Roles.All.Contains(role))
        {
            errors.Add(new FieldError("Role", "user.role_invalid"));
        }
    }

    private static async Task<AppUser> FindAsync(UserManager<AppUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new DomainException("user.not_found");

    private static async Task EnsureAnotherActiveAdminAsync(CrmDbContext db, string userId)
    {
        var another = await db.Users.AnyAsync(u =>
            u.Id != userId
            && !u.IsDisabled
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)));
        if (!another)
        {
            throw new DomainException("user.last_admin", "Role");
        }
    }

    private static List<FieldError> ToFieldErrors(IdentityResult result) =>
        [.. result.Errors.Select(e => e.Code switch
        {
            _ when e.Code.StartsWith("Password", StringComparison.Ordinal) => new FieldError("Password", e.Code),
            "DuplicateEmail" or "DuplicateUserName" => new FieldError("Email", "user.email_taken"),
            "InvalidEmail" or "InvalidUserName" => new FieldError("Email", "email.invalid"),
            _ => new FieldError("", "domain.error"),
        })];

    /// <summary>Steps after the input was validated only fail for reasons the admin cannot fix.</summary>
    private static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Code + ": " + e.Description)));
        }
    }
}
