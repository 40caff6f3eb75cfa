using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Leads;
using SchoolCrm.Domain.Leads.Fields;
using SchoolCrm.Tests.Infrastructure;
using SchoolCrm.Web.Data;
using SchoolCrm.Web.Features.Leads.List;

namespace SchoolCrm.Tests.Features.Leads.List;

/// <summary>
/// The list sorted by a custom field of every sortable type, read in pages from the value indexes
/// (<see cref="LeadValueSort"/>): the order is leads without a value, then by value, ties by id, and descending its
/// exact reverse; the same order the export gets from <see cref="LeadQueries.Sort"/>; pages neither repeat nor skip.
/// </summary>
public sealed class LeadValueSortTests(LeadValueSortTests.SortedLeads data) : IClassFixture<LeadValueSortTests.SortedLeads>
{
    public static TheoryData<CustomFieldType, bool> Types()
    {
        var types = new TheoryData<CustomFieldType, bool>();
        foreach (var type in SortedLeads.SortableTypes)
        {
            types.Add(type, false);
            types.Add(type, true);
        }

        return types;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Pages_sorted_by_a_custom_field_hold_every_lead_once_empty_values_first_ascending_and_last_descending(CustomFieldType type, bool descending)
    {
        var field = data.Field(type);

        var paged = await data.AllPagesAsync(field, descending, pageSize: 3);

        Assert.Equal(data.Expected(type, descending), paged);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task The_list_pages_in_the_order_the_export_sorts_in(CustomFieldType type, bool descending)
    {
        var field = data.Field(type);

        var paged = await data.AllPagesAsync(field, descending, pageSize: 4);
        var exported = await data.ExportOrderAsync(field, descending);

        Assert.Equal(exported, paged);
    }

    [Fact]
    public async Task A_filtered_list_sorted_by_a_custom_field_pages_only_the_matching_leads()
    {
        var field = data.Field(CustomFieldType.Number);

        var paged = await data.AllPagesAsync(field, descending: false, pageSize: 2, search: "even");

        Assert.Equal(data.Expected(CustomFieldType.Number, descending: false).Where(id => data.IsEven(id)), paged);
    }

    [Fact]
    public async Task Text_values_sort_without_case_or_accents()
    {
        var field = data.Field(CustomFieldType.Text);

        var paged = await data.AllPagesAsync(field, descending: false, pageSize: 25);
        var texts = data.TextsInOrder(paged);

        // "beta", "Beta" and "beta" tie and keep their ids' order.
        Assert.Equal(["alpha", "Ärger", "beta", "Beta", "beta", "Élan", "zeta"], texts.Where(t => t is not null));
    }

    /// <summary>Leads with values of every sortable type: ties, empty values, accents and case; one converted lead.</summary>
    public sealed class SortedLeads : IAsyncLifetime
    {
        public static readonly CustomFieldType[] SortableTypes =
        [
            CustomFieldType.Number, CustomFieldType.Date, CustomFieldType.Checkbox, CustomFieldType.Text,
            CustomFieldType.LongText, CustomFieldType.SingleChoice,
        ];

        private static readonly string?[] Texts = ["beta", null, "Élan", "alpha", "Beta", null, "zeta", "Ärger", null, "beta"];

        // Folded keys compare as SQLite compares text: by code point, not by culture.
        private static readonly Comparer<IComparable?> KeyOrder = Comparer<IComparable?>.Create((a, b) =>
            a is string x && b is string y ? string.CompareOrdinal(x, y) : Comparer<IComparable?>.Default.Compare(a, b));

        private readonly CrmAppFactory app = new();
        private readonly Dictionary<CustomFieldType, LeadField> fields = [];

        // Per lead id (in the CRM): per field type, the key its value sorts by, or null for none.
        private readonly Dictionary<int, Dictionary<CustomFieldType, IComparable?>> keys = [];
        private readonly Dictionary<int, string?> texts = [];
        private readonly HashSet<int> even = [];

        public LeadField Field(CustomFieldType type) => fields[type];

        public bool IsEven(int id) => even.Contains(id);

        public async Task InitializeAsync()
        {
            var admin = await app.Services.FindUserAsync(CrmAppFactory.AdminEmail);
            await using var db = await Factory().CreateDbContextAsync();
            var statusId = await db.LeadStatuses.Select(s => s.Id).FirstAsync();
            var defined = SortableTypes.Select((t, i) => new CustomField("Field " + t, t, i, false)).ToList();
            var choice = defined.Single(f => f.Type == CustomFieldType.SingleChoice);
            foreach (var label in new[] { "Zeta", "Alpha", "Mid" })
            {
                choice.AddOption(label);
            }

            db.CustomFields.AddRange(defined);
            await db.SaveChangesAsync();

            var now = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
            var leads = new List<(Lead Lead, int Index)>();
            for (var i = 0; i < Texts.Length; i++)
            {
                var lead = Lead.Create(
                    new PersonDetails { FirstName = "Lead", LastName = (i % 2 == 0 ? "even " : "odd ") + i, CaptureDate = new DateOnly(2026, 3, 1) },
                    statusId, null, admin.Id, now);
                foreach (var field in defined)
                {
                    if (ValueFor(field, i) is { } value)
                    {
                        lead.CustomValues.Add(value);
                    }
                }

                leads.Add((lead, i));
            }

            var converted = Lead.Create(new PersonDetails { FirstName = "Converted", CaptureDate = new DateOnly(2026, 3, 1) }, statusId, null, admin.Id, now);
            converted.CustomValues.AddRange(defined.Select(f => ValueFor(f, 0)).OfType<CustomFieldValue>());
            converted.MarkConverted(admin.Id, now);
            db.Leads.AddRange(leads.Select(l => l.Lead).Append(converted));
            await db.SaveChangesAsync();

            foreach (var field in defined)
            {
                fields[field.Type] = LeadFields.ForCustomField(CustomFieldDefinition.From(field));
            }

            foreach (var (lead, i) in leads)
            {
                keys[lead.Id] = defined.ToDictionary(f => f.Type, f => KeyFor(f, i));
                texts[lead.Id] = Texts[i];
                if (i % 2 == 0)
                {
                    even.Add(lead.Id);
                }
            }
        }

        /// <summary>Leads without a value by id, then by key and id; descending the reverse.</summary>
        public List<int> Expected(CustomFieldType type, bool descending)
        {
            var ascending = keys.OrderBy(k => k.Value[type] is not null).ThenBy(k => k.Value[type], KeyOrder).ThenBy(k => k.Key).Select(k => k.Key).ToList();
            if (descending)
            {
                ascending.Reverse();
            }

            return ascending;
        }

        public List<string?> TextsInOrder(List<int> ids) => [.. ids.Select(id => texts[id])];

        public async Task<List<int>> AllPagesAsync(LeadField field, bool descending, int pageSize, string? search = null)
        {
            var all = new List<int>();
            for (var page = 0; ; page++)
            {
                await using var db = await Factory().CreateDbContextAsync();
                var filtered = LeadQueries.Apply(db.Leads.AsNoTracking(), new LeadListQuery { Search = search }, "nobody");
                var ids = await LeadValueSort.PageIdsAsync(db, filtered, field, descending, page, pageSize, default);
                all.AddRange(ids);
                if (ids.Count < pageSize)
                {
                    return all;
                }
            }
        }

        public async Task<List<int>> ExportOrderAsync(LeadField field, bool descending)
        {
            await using var db = await Factory().CreateDbContextAsync();
            return await LeadQueries.Sort(LeadQueries.Apply(db.Leads.AsNoTracking(), new LeadListQuery(), "nobody"), db, field, descending)
                .Select(l => l.Id).ToListAsync();
        }

        public async Task DisposeAsync() => await app.DisposeAsync();

        private IDbContextFactory<CrmDbContext> Factory() => app.Services.GetRequiredService<IDbContextFactory<CrmDbContext>>();

        // Every third lead has no value; the others tie in pairs, so ties are ordered by id.
        private static CustomFieldValue? ValueFor(CustomField field, int i)
        {
            if (field.Type is CustomFieldType.Text or CustomFieldType.LongText)
            {
                return Texts[i] is { } text ? CustomFieldValue.Text(field.Id, text) : null;
            }

            if (i % 3 == 1)
            {
                return null;
            }

            var tie = (i * 7 % 5) / 2;
            return field.Type switch
            {
                CustomFieldType.Number => CustomFieldValue.Number(field.Id, 10 - (tie * 2.5)),
                CustomFieldType.Date => CustomFieldValue.Date(field.Id, new DateOnly(2026, 1, 1).AddDays(-tie)),
                CustomFieldType.Checkbox => CustomFieldValue.Checkbox(field.Id, tie == 1),
                _ => CustomFieldValue.Option(field.Id, field.Options[tie].Id),
            };
        }

        private static IComparable? KeyFor(CustomField field, int i) => ValueFor(field, i) switch
        {
            null => null,
            { TextValue: { } text } => TextFolding.Fold(text),
            { NumberValue: { } number } => number,
            { DateValue: { } date } => date,
            { BoolValue: { } flag } => flag,
            { OptionId: { } option } => field.Options.Single(o => o.Id == option).SortOrder,
            _ => null,
        };
    }
}
