using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Domain.Tasks;

namespace SchoolCrm.Tests.Features.Filters;

/// <summary>
/// Random leads and random filter trees for the differential test, from one seed. Values come from small pools
/// that collide on purpose (the same word with and without accents or capitals, %, _, \, quotes, SQL), so
/// conditions match some leads and miss others.
/// </summary>
internal sealed class RandomFilters(int seed, FilterDatabase data)
{
    public static readonly string[] Texts =
    [
        "München", "MUNCHEN", "münchen", "Bolzano", "Straße 5", "strasse 5", "100% sure", "100 sure", "a_b", "axb", @"a\b", @"a\\b",
        "'); DROP TABLE Leads;--", "Zoë", "ÉLODIE Ærø", "o'Brien", "Ça va", "Maße", "Lörrach", "Ñandú", "Ågård", "Łódź", "Ελλάδα",
        "x", "Anna  Maria", "ANNA MARIA", "élodie", "Œuvre", "MÜLLER", "Müller",
    ];

    private static readonly string[] Fragments =
    [
        "münchen", "munchen", "MÜN", "bol", "zano", "strasse", "straße", "ß", "ss", "100%", "%", "_", "a_b", @"\", @"a\b", @"\\",
        "'); DROP TABLE Leads;--", "drop table", "--", "'", "zoe", "ë", "elodie", "ærø", "aero", "ça", "ca va", "lörr", "łódź",
        "ελλάδα", "x", "e", "a", "müller", "MULL", "  a  ", "anna maria", "anna  maria", "œuvre", "oeuvre",
    ];

    private static readonly double[] Numbers = [-2.5, 0, 1, 2, 3.75, 100, 1e9];

    private readonly Random random = new(seed);

    private readonly IReadOnlyList<LeadField> fields = data.Catalogue.Fields;

    public int Seed => seed;

    public Lead Lead()
    {
        var details = new PersonDetails
        {
            FirstName = Pick(Texts),
            LastName = MaybeText(PersonFieldLimits.LastName),
            CompanyName = MaybeText(PersonFieldLimits.CompanyName),
            Email = MaybeText(PersonFieldLimits.Email),
            TaxCode = MaybeText(PersonFieldLimits.TaxCode),
            Address = MaybeText(PersonFieldLimits.Address),
            City = MaybeText(PersonFieldLimits.City),
            Zip = MaybeText(PersonFieldLimits.Zip),
            Province = MaybeText(PersonFieldLimits.Province),
            Phone = MaybeText(PersonFieldLimits.Phone),
            Mobile = MaybeText(PersonFieldLimits.Mobile),
            Notes = MaybeText(PersonFieldLimits.Notes),
            CaptureDate = Day(70),
            DateOfBirth = Chance(0.4) ? null : Day(70),
            Gender = Pick(Enum.GetValues<Gender>()),
            PrivacyConsent = Chance(0.5),
        };

        var values = new List<CustomValueInput>();
        foreach (var field in data.Fields)
        {
            if (Chance(0.3))
            {
                continue;
            }

            values.Add(field.Type switch
            {
                CustomFieldType.Text or CustomFieldType.LongText => CustomValueInput.OfText(field.Id, Pick(Texts)),
                CustomFieldType.Number => CustomValueInput.OfNumber(field.Id, Pick(Numbers)),
                CustomFieldType.Date => CustomValueInput.OfDate(field.Id, Day(45)),
                CustomFieldType.Checkbox => CustomValueInput.OfCheckbox(field.Id, Chance(0.5)),
                CustomFieldType.SingleChoice => CustomValueInput.OfOptions(field.Id, Pick(field.Options).Id),
                _ => CustomValueInput.OfOptions(field.Id, [.. field.Options.Where(_ => Chance(0.5)).Select(o => o.Id)]),
            });
        }

        var created = Instant();

        // A lead of an undone import (a converted one stays) now and then: for the engine it is just a value.
        int? import = Chance(0.4) ? null : Chance(0.1) ? data.GoneImportIds[0] : Pick(data.ImportIds);
        var lead = data.NewLead(details, Pick(data.StatusIds), Chance(0.3) ? null : Pick(data.UserIds), Pick(data.UserIds), created, values, import);
        if (Chance(0.5))
        {
            lead.Touch(Pick(data.UserIds), created.AddHours(random.Next(0, 24 * 20)));
        }

        // No comment for a third of the leads, up to four for the rest, some within a minute of a day's start.
        var comments = Chance(0.35) ? 0 : random.Next(1, 5);
        for (var i = 0; i < comments; i++)
        {
            FilterDatabase.AddComment(lead, Pick(data.UserIds), Instant());
        }

        // No task for a third of the leads, up to three for the rest, open or done, of any type.
        var tasks = Chance(0.35) ? 0 : random.Next(1, 4);
        for (var i = 0; i < tasks; i++)
        {
            lead.Tasks.Add(NewTask());
        }

        return lead;
    }

    // Due around now: a fifth within a minute of it (some exactly now), the rest like any instant, so "overdue" and
    // "the next N days" meet their edges.
    private CrmTask NewTask()
    {
        var now = FilterDatabase.NowUtc;
        var deadline = Chance(0.05) ? now : Chance(0.2) ? now.AddSeconds(random.Next(-60, 61)) : Instant();
        var content = new TaskContent(Pick(data.TaskTypeIds), "Call back", null, deadline, false, TaskReminder.None);
        var task = CrmTask.Create(null, content, Pick(data.UserIds), Pick(data.UserIds), deadline.AddDays(-30), FilterDatabase.Rome);
        if (Chance(0.4))
        {
            task.Complete(data.UserIds[0], byAdmin: true, deadline);
        }

        return task;
    }

    public Filter Filter() => new(Group(1));

    /// <summary>A condition for the field and operator with a value that checks (sometimes one that does not).</summary>
    public FilterCondition Condition(LeadField field, string op)
    {
        if (Chance(0.03))
        {
            return BrokenValue(field, op);
        }

        if (FilterOperators.TakesNoValue(op))
        {
            return FilterCondition.Of(field.Key, op);
        }

        var key = field.Key;
        return field.Type switch
        {
            LeadFieldType.Text or LeadFieldType.LongText => FilterCondition.Of(key, op, Chance(0.3) ? Substring(Pick(Texts)) : Pick(Fragments)),
            LeadFieldType.Number when op == FilterOperators.Between => FilterCondition.Of(key, op, Sorted(Pick(Numbers), Pick(Numbers))),
            LeadFieldType.Number => FilterCondition.Of(key, op, Pick(Numbers)),
            LeadFieldType.Date or LeadFieldType.Instant => op switch
            {
                FilterOperators.Between => FilterCondition.Of(key, op, Sorted(Day(50), Day(50)).Select(Iso).ToArray()),
                FilterOperators.LastDays or FilterOperators.NextDays or FilterOperators.OlderThanDays => FilterCondition.Of(key, op, random.Next(1, 60)),
                _ => FilterCondition.Of(key, op, Iso(Day(50))),
            },
            LeadFieldType.Status => FilterCondition.Of(key, op, Some(data.StatusIds)),
            LeadFieldType.User => FilterCondition.Of(key, op, Some([.. data.UserIds, FilterOperators.Me])),
            LeadFieldType.Gender => FilterCondition.Of(key, op, Some(["male", "female", "not_given"])),

            // Sometimes a gone import too: the condition is then broken.
            LeadFieldType.Import => FilterCondition.Of(key, op, Some<int>(Chance(0.1) ? [.. data.ImportIds, .. data.GoneImportIds] : data.ImportIds)),
            LeadFieldType.TaskType => FilterCondition.Of(key, op, Some(data.TaskTypeIds)),
            LeadFieldType.NextDeadline => FilterCondition.Of(key, op, random.Next(1, 60)),
            _ => FilterCondition.Of(key, op, Some([.. data.Fields.Single(f => f.Id == field.CustomFieldId).Options.Select(o => o.Id)])),
        };
    }

    private FilterGroup Group(int depth)
    {
        var count = Chance(0.05) ? 0 : random.Next(1, 4);
        var members = new List<FilterNode>();
        for (var i = 0; i < count; i++)
        {
            members.Add(depth < 4 && Chance(0.25) ? Group(depth + 1) : Condition());
        }

        return new FilterGroup(Chance(0.5) ? FilterJoin.All : FilterJoin.Any, members);
    }

    private FilterCondition Condition()
    {
        if (Chance(0.02))
        {
            return FilterCondition.Of("cf999999", FilterOperators.Empty);
        }

        var field = Pick(fields);
        if (Chance(0.02))
        {
            return FilterCondition.Of(field.Key, Pick(["gt", "contains", "ticked", "all_of", "drop"]), "1");
        }

        return Condition(field, Pick(FilterOperators.For(field.Type)));
    }

    // A value the check refuses: blank, not a date, reversed, unknown ids.
    private static FilterCondition BrokenValue(LeadField field, string op) => field.Type switch
    {
        LeadFieldType.Text or LeadFieldType.LongText => FilterCondition.Of(field.Key, op, "   "),
        LeadFieldType.Number => FilterCondition.Of(field.Key, op, op == FilterOperators.Between ? (object)new[] { 5.0, 1.0 } : "five"),
        LeadFieldType.Date or LeadFieldType.Instant => FilterCondition.Of(field.Key, op, op == FilterOperators.Between ? (object)new[] { "2026-12-01", "2026-11-01" } : "2026-02-30"),
        LeadFieldType.User => FilterCondition.Of(field.Key, op, new[] { "ghost" }),
        LeadFieldType.Checkbox or LeadFieldType.OverdueTask => FilterCondition.Of(field.Key, FilterOperators.Equal, 1),
        _ => FilterCondition.Of(field.Key, op, new[] { 999999 }),
    };

    private string? MaybeText() => Chance(0.4) ? null : Pick(Texts);

    // Cut to the column's length, as the forms and the import do: PostgreSQL refuses longer values, SQLite kept them.
    private string? MaybeText(int limit)
    {
        var text = MaybeText();
        return text is not null && text.Length > limit ? text[..limit] : text;
    }

    private string Substring(string text)
    {
        var start = random.Next(0, text.Length);
        return text.Substring(start, random.Next(1, text.Length - start + 1));
    }

    private DateOnly Day(int around) => FilterDatabase.Today.AddDays(random.Next(-around, around + 1));

    // Instants around today, a fifth of them within a minute of a school day's start.
    private DateTime Instant()
    {
        var context = data.Context;
        var day = Day(60);
        return Chance(0.2)
            ? context.StartOfDayUtc(day).AddSeconds(random.Next(-60, 60))
            : context.StartOfDayUtc(day).AddSeconds(random.Next(0, 24 * 3600));
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static T[] Sorted<T>(T a, T b)
        where T : IComparable<T> => a.CompareTo(b) <= 0 ? [a, b] : [b, a];

    private T[] Some<T>(IReadOnlyList<T> items)
    {
        var chosen = items.Where(_ => Chance(0.4)).ToArray();
        return chosen.Length > 0 ? chosen : [Pick(items)];
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private bool Chance(double p) => random.NextDouble() < p;
}
