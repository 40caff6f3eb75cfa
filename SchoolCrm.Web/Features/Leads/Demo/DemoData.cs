using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Bogus;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SchoolCrm.Domain.Configuration;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Users;
using SchoolCrm.Web.Hosting;

namespace SchoolCrm.Web.Features.Leads.Demo;

/// <summary>
/// `dotnet run --project SchoolCrm.Web -- seed-demo --leads 100000 [--seed 42]`: fills the configured database
/// with realistic fake leads (German and Italian people, statuses, operators, custom values, comments) for
/// trying the app, screenshots and the benchmark. Adds to what is there; never deletes anything.
/// </summary>
public static class DemoData
{
    public const string Command = "seed-demo";

    /// <summary>Leads per transaction: large enough to be fast, small enough that a stopped run keeps its work.</summary>
    private const int BatchSize = 10_000;

    private static readonly string[] CommentTexts =
    [
        "Called, will think about it and call back next week.",
        "Interested in the evening course; sent the brochure.",
        "Hat nach den Preisen für den Intensivkurs gefragt.",
        "Rückruf vereinbart, am besten vormittags erreichbar.",
        "Ha chiesto informazioni sul corso estivo.",
        "Richiamare dopo le vacanze.",
        "Came to the open day with a friend.",
        "Möchte einen Einstufungstest machen.",
        "Preferisce essere contattata via e-mail.",
        "Asked whether the course can be paid in instalments.",
    ];

    /// <summary>The entry point of the command line: reads --leads (default 1000) and --seed (default 42).</summary>
    public static async Task SeedAsync(IServiceProvider services, string[] args, CancellationToken ct = default)
    {
        var leads = ReadOption(args, "--leads", 1000);
        var seed = ReadOption(args, "--seed", 42);
        var watch = Stopwatch.StartNew();
        var created = await SeedAsync(services, leads, seed, Console.Out, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {created} demo leads in {watch.Elapsed.TotalSeconds:F1} s."));
    }

    /// <summary>Creates <paramref name="leadCount"/> leads (and operators and custom fields if missing); returns how many.</summary>
    public static async Task<int> SeedAsync(IServiceProvider services, int leadCount, int seed = 42, TextWriter? log = null, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var clock = services.GetRequiredService<SchoolClock>();

        var operatorIds = await EnsureOperatorsAsync(services, log);
        string creatorId;
        List<int> statusIds;
        List<CustomField> fields;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            creatorId = await db.Users.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync(ct);
            statusIds = await EnsureStatusesAsync(db, ct);
            fields = await EnsureCustomFieldsAsync(db, ct);
        }

        var generator = new LeadGenerator(seed, clock.Today, statusIds, operatorIds, fields, creatorId);
        var done = 0;
        while (done < leadCount)
        {
            var size = Math.Min(BatchSize, leadCount - done);
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await using (var insert = BulkInsert.For(db, size))
            {
                for (var i = 0; i < size; i++)
                {
                    var lead = generator.NextLead();
                    var leadId = await insert.AddAsync(lead, ct: ct);
                    var owner = new Dictionary<string, object?> { [nameof(CustomFieldValue.LeadId)] = leadId };
                    foreach (var value in lead.CustomValues)
                    {
                        await insert.AddAsync(value, owner, ct);
                    }

                    foreach (var comment in generator.CommentsFor(leadId, lead.CreatedAt))
                    {
                        await insert.AddAsync(comment, ct: ct);
                    }
                }

                await insert.SaveAsync(ct);
            }

            await transaction.CommitAsync(ct);

            done += size;
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{leadCount} leads"));
        }

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await DatabaseSetup.RefreshStatisticsAsync(db, ct);
        }

        return done;
    }

    private static int ReadOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0)
        {
            return fallback;
        }

        if (index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new ArgumentException($"{name} needs a whole number, e.g. {name} 1000.");
    }

    private static async Task<List<string>> EnsureOperatorsAsync(IServiceProvider services, TextWriter? log)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var operators = (await users.GetUsersInRoleAsync(Roles.Operator)).Where(u => !u.IsDisabled).ToList();
        (string Name, string Email)[] demo =
        [
            ("Giulia Bianchi", "giulia.bianchi@demo.invalid"),
            ("Lukas Schneider", "lukas.schneider@demo.invalid"),
            ("Francesca Romano", "francesca.romano@demo.invalid"),
        ];
        var password = "Demo-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)) + "a!";
        foreach (var (name, email) in demo)
        {
            if (operators.Count >= demo.Length || await users.FindByEmailAsync(email) is not null)
            {
                continue;
            }

            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, LockoutEnabled = true };
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }

            await users.AddToRoleAsync(user, Roles.Operator);
            operators.Add(user);
            log?.WriteLine($"Created demo operator {email} with password {password}");
        }

        return [.. operators.Select(u => u.Id)];
    }

    private static async Task<List<int>> EnsureStatusesAsync(CrmDbContext db, CancellationToken ct)
    {
        if (!await db.LeadStatuses.AnyAsync(ct))
        {
            var first = new LeadStatus("New", 0, "#1E88E5");
            first.SetDefault(true);
            db.LeadStatuses.AddRange(first, new LeadStatus("Contacted", 1, "#FB8C00"), new LeadStatus("Interested", 2, "#43A047"));
            await db.SaveChangesAsync(ct);
        }

        return await db.LeadStatuses.OrderBy(s => s.SortOrder).Select(s => s.Id).ToListAsync(ct);
    }

    private static async Task<List<CustomField>> EnsureCustomFieldsAsync(CrmDbContext db, CancellationToken ct)
    {
        if (!await db.CustomFields.AnyAsync(f => !f.IsArchived, ct))
        {
            var interests = new CustomField("Interests", CustomFieldType.MultipleChoice, 0, false);
            foreach (var label in new[] { "Languages", "Music", "Sports", "Art", "Science", "IT" })
            {
                interests.AddOption(label);
            }

            var course = new CustomField("Preferred course", CustomFieldType.SingleChoice, 2, false);
            foreach (var label in new[] { "English B1", "German A2", "Italian A1", "Spanish B2", "Photography", "Programming" })
            {
                course.AddOption(label);
            }

            db.CustomFields.AddRange(
                interests,
                new CustomField("Newsletter", CustomFieldType.Checkbox, 1, false),
                course,
                new CustomField("Budget", CustomFieldType.Number, 3, false),
                new CustomField("Open day visit", CustomFieldType.Date, 4, false),
                new CustomField("How did you hear of us", CustomFieldType.Text, 5, false));
            await db.SaveChangesAsync(ct);
        }

        return await db.CustomFields.AsNoTracking().Include(f => f.Options).Where(f => !f.IsArchived).ToListAsync(ct);
    }

    /// <summary>Makes one plausible lead at a time; the same seed gives the same leads.</summary>
    private sealed class LeadGenerator(int seed, DateOnly today, List<int> statusIds, List<string> operatorIds, List<CustomField> fields, string creatorId)
    {
        private readonly Faker italian = new("it") { Random = new Randomizer(seed) };
        private readonly Faker german = new("de") { Random = new Randomizer(seed + 1) };
        private readonly Random random = new(seed);
        private readonly string[] sources = ["Website", "Instagram", "Friend", "Flyer", "Open day", "Google"];

        public Lead NextLead()
        {
            var isItalian = random.NextDouble() < 0.55;
            var f = isItalian ? italian : german;
            var gender = random.NextDouble() switch { < 0.48 => Gender.Female, < 0.96 => Gender.Male, _ => Gender.NotGiven };
            var first = f.Name.FirstName(gender == Gender.Male ? Bogus.DataSets.Name.Gender.Male : Bogus.DataSets.Name.Gender.Female);
            var last = f.Name.LastName();
            var captured = today.AddDays(-random.Next(0, 3 * 365));
            var born = today.AddDays(-random.Next(6 * 365, 60 * 365));

            var details = new PersonDetails
            {
                CompanyName = random.NextDouble() < 0.1 ? f.Company.CompanyName() : null,
                FirstName = first,
                LastName = last,
                CaptureDate = captured,
                Email = random.NextDouble() < 0.85 ? f.Internet.Email(first, last) : null,
                TaxCode = isItalian && random.NextDouble() < 0.6 ? TaxCodeFor(last, first, born, gender) : null,
                Address = f.Address.StreetAddress(),
                City = f.Address.City(),
                Zip = f.Address.ZipCode(),
                Province = f.Address.StateAbbr(),
                Phone = random.NextDouble() < 0.4 ? f.Random.ReplaceNumbers(isItalian ? "+39 0## ######" : "+49 ### #######") : null,
                Mobile = random.NextDouble() < 0.8 ? f.Random.ReplaceNumbers(isItalian ? "+39 3## #######" : "+49 15# ########") : null,
                Gender = gender,
                DateOfBirth = random.NextDouble() < 0.7 ? born : null,
                PrivacyConsent = random.NextDouble() < 0.8,
                Notes = random.NextDouble() < 0.2 ? f.Lorem.Sentence() : null,
            };
            var check = PersonRules.Check(details, today);
            var cleaned = check.IsValid ? check.Cleaned : check.Cleaned with { Email = null };

            var createdAt = captured.ToDateTime(new TimeOnly(8, 0), DateTimeKind.Utc).AddMinutes(random.Next(0, 10 * 60));
            var status = statusIds[Math.Min(statusIds.Count - 1, (int)(Math.Pow(random.NextDouble(), 1.5) * statusIds.Count))];
            var assignee = operatorIds.Count > 0 && random.NextDouble() < 0.7 ? operatorIds[random.Next(operatorIds.Count)] : null;
            var lead = Lead.Create(cleaned, status, assignee, creatorId, createdAt);
            foreach (var field in fields)
            {
                lead.CustomValues.AddRange(ValuesFor(field, f));
            }

            return lead;
        }

        public IEnumerable<Comment> CommentsFor(int leadId, DateTime leadCreatedAt)
        {
            var count = random.Next(0, 4);
            for (var i = 0; i < count; i++)
            {
                var author = operatorIds.Count > 0 ? operatorIds[random.Next(operatorIds.Count)] : creatorId;
                yield return Comment.OnLead(leadId, author, CommentTexts[random.Next(CommentTexts.Length)], leadCreatedAt.AddDays(i + 1));
            }
        }

        private IEnumerable<CustomFieldValue> ValuesFor(CustomField field, Faker f)
        {
            // Like real data: not every lead has every value.
            if (random.NextDouble() < 0.25)
            {
                yield break;
            }

            switch (field.Type)
            {
                case CustomFieldType.Text:
                    yield return CustomFieldValue.Text(field.Id, sources[random.Next(sources.Length)]);
                    break;
                case CustomFieldType.LongText:
                    yield return CustomFieldValue.Text(field.Id, f.Lorem.Sentence());
                    break;
                case CustomFieldType.Number:
                    yield return CustomFieldValue.Number(field.Id, random.Next(2, 60) * 50);
                    break;
                case CustomFieldType.Date:
                    yield return CustomFieldValue.Date(field.Id, today.AddDays(-random.Next(0, 700)));
                    break;
                case CustomFieldType.Checkbox:
                    yield return CustomFieldValue.Checkbox(field.Id, random.NextDouble() < 0.5);
                    break;
                case CustomFieldType.SingleChoice when field.Options.Count > 0:
                    yield return CustomFieldValue.Option(field.Id, field.Options[random.Next(field.Options.Count)].Id);
                    break;
                case CustomFieldType.MultipleChoice when field.Options.Count > 0:
                    foreach (var option in field.Options.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                    {
                        yield return CustomFieldValue.Option(field.Id, option.Id);
                    }

                    break;
            }
        }

        // Shaped like a real codice fiscale (consonants, birth date, a birthplace code) with a correct check character.
        private string TaxCodeFor(string last, string first, DateOnly born, Gender gender)
        {
            static string Letters(string name) =>
                (new string([.. name.ToUpperInvariant().Where(c => char.IsAsciiLetterUpper(c) && !"AEIOU".Contains(c))])
                 + new string([.. name.ToUpperInvariant().Where(c => "AEIOU".Contains(c))]) + "XXX")[..3];

            var day = born.Day + (gender == Gender.Female ? 40 : 0);
            var body = string.Create(CultureInfo.InvariantCulture, $"{Letters(last)}{Letters(first)}{born.Year % 100:D2}{"ABCDEHLMPRST"[born.Month - 1]}{day:D2}{(char)('A' + random.Next(0, 13))}{random.Next(100, 1000):D3}");
            for (var c = 'A'; c <= 'Z'; c++)
            {
                if (CodiceFiscale.HasValidCheckCharacter(body + c))
                {
                    return body + c;
                }
            }

            return body + "X";
        }
    }
}
