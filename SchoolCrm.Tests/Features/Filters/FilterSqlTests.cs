using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Filters;
using SchoolCrm.Domain.Leads;

namespace SchoolCrm.Tests.Features.Filters;

/// <summary>Saved filters as SQL on the real SQLite file: one statement, values as parameters, nothing filtered in memory.</summary>
public sealed class FilterSqlTests(FilterSqlTests.Leads data) : IClassFixture<FilterSqlTests.Leads>
{
    private const string Injection = "'); DROP TABLE Leads;--";

    [Fact]
    public async Task A_filter_with_nested_groups_and_custom_fields_is_one_sql_statement_whose_values_are_parameters()
    {
        var filter = Expression($$"""
            {"v":1,"all":[
              {"field":"privacy","op":"ticked"},
              {"any":[{"field":"status","op":"any_of","value":[{{data.StatusIds[0]}}]},{"field":"captured","op":"last_days","value":7},
                {"all":[{"field":"city","op":"contains","value":"Sure Thing"},{"field":"born","op":"before","value":"2011-04-05"}]}]},
              {"field":"cf{{data.Field(CustomFieldType.Text).Id}}","op":"contains","value":"MÜLLERIN"},
              {"field":"cf{{data.Field(CustomFieldType.MultipleChoice).Id}}","op":"all_of","value":[{{string.Join(',', data.Field(CustomFieldType.MultipleChoice).Options.Select(o => o.Id))}}]},
              {"field":"cf{{data.Field(CustomFieldType.Number).Id}}","op":"between","value":[4242.5,4343.5]},
              {"field":"assignee","op":"none_of","value":["me"]}
            ]}
            """);
        var commands = new CommandLog();
        await using var db = data.Db(commands);

        var sql = db.Leads.Where(filter).ToQueryString();
        var count = await db.Leads.Where(filter).CountAsync();

        var statement = Assert.Single(commands.Texts);
        Assert.StartsWith("SELECT COUNT(*)", statement, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("WHERE", statement, StringComparison.Ordinal);
        Assert.Contains("EXISTS", statement, StringComparison.Ordinal);
        Assert.DoesNotContain(";", statement, StringComparison.Ordinal);
        foreach (var value in new[] { "sure thing", "mullerin", "4242", "4343", "2011-04-0", data.Context.CurrentUserId, "2026-11-2" })
        {
            Assert.DoesNotContain(value, statement, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value, SqlOf(sql), StringComparison.OrdinalIgnoreCase);
        }

        // SQLite binds the folded word as it is, PostgreSQL as a LIKE pattern around it.
        Assert.Contains(commands.Parameters, p => p?.Contains("mullerin", StringComparison.Ordinal) == true);
        Assert.Contains(commands.Parameters, p => p == data.Context.CurrentUserId);
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Only_the_leads_that_match_are_read_from_the_database()
    {
        var materialised = new MaterialisedLeads();
        await using var db = data.Db(materialised);
        var filter = Expression("""{"v":1,"any":[{"field":"city","op":"is","value":"münchen"},{"field":"city","op":"is","value":"100 sure"}]}""");

        var leads = await db.Leads.Where(filter).ToListAsync();

        Assert.Equal(["München", "100 sure"], leads.Select(l => l.City).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(2, materialised.Count);
        Assert.True(await db.Leads.CountAsync() > 4);
    }

    [Fact]
    public async Task A_value_written_as_sql_is_a_parameter_matched_literally_and_harms_nothing()
    {
        await using var db = data.Db();
        var before = await db.Leads.CountAsync();

        Assert.Equal([Injection], await CitiesAsync(db, "is", Injection));
        Assert.Equal([Injection], await CitiesAsync(db, "contains", "drop table leads;--"));
        Assert.Equal([Injection], await CitiesAsync(db, "starts_with", "')"));
        Assert.Equal(before, await db.Leads.CountAsync());
    }

    [Theory]
    [InlineData("contains", "%", "100% sure")]
    [InlineData("starts_with", "100%", "100% sure")]
    [InlineData("is", "100% sure", "100% sure")]
    [InlineData("contains", "0_s", "100_sure")]
    [InlineData("starts_with", "100_", "100_sure")]
    [InlineData("contains", @"\", @"100\sure")]
    [InlineData("starts_with", @"100\", @"100\sure")]
    [InlineData("is", @"100\sure", @"100\sure")]
    [InlineData("contains", "ünch", "München")]
    [InlineData("is", "MUNCHEN", "München")]
    [InlineData("starts_with", "Straße", "strasse 5")]
    public async Task Percent_underscore_and_backslash_are_literal_and_case_and_accents_do_not_matter(string op, string value, string city)
    {
        await using var db = data.Db();

        Assert.Equal([city], await CitiesAsync(db, op, value));
    }

    [Fact]
    public async Task A_custom_text_condition_is_an_exists_over_the_value_table_and_folds_like_a_standard_field()
    {
        await using var db = data.Db();
        var filter = Expression($$"""{"v":1,"all":[{"field":"cf{{data.Field(CustomFieldType.Text).Id}}","op":"is","value":"MULLERIN"}]}""");

        var sql = SqlOf(db.Leads.Where(filter).ToQueryString());
        var cities = await db.Leads.Where(filter).Select(l => l.City).ToListAsync();

        Assert.Contains("EXISTS", sql, StringComparison.Ordinal);
        Assert.Contains("\"CustomFieldValues\"", sql, StringComparison.Ordinal);
        Assert.Equal(["München"], cities);
    }

    [Fact]
    public async Task Comment_and_import_conditions_are_one_statement_over_the_comments_and_the_import_column_with_parameters()
    {
        var filter = Expression($$"""
            {"v":1,"all":[{"field":"comments","op":"ticked"},{"field":"lastcomment","op":"older_than_days","value":20},
              {"field":"import","op":"any_of","value":[{{data.ImportIds[1]}}]}]}
            """);
        var commands = new CommandLog();
        await using var db = data.Db(commands);

        var cities = await db.Leads.Where(filter).Select(l => l.City).ToListAsync();

        var statement = Assert.Single(commands.Texts);
        Assert.Contains("\"Comments\"", statement, StringComparison.Ordinal);
        Assert.Contains("\"ImportId\"", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-1", statement, StringComparison.Ordinal);
        Assert.DoesNotContain(data.ImportIds[1].ToString(System.Globalization.CultureInfo.InvariantCulture), statement, StringComparison.Ordinal);
        Assert.Contains(new DateTime(2026, 11, 11, 23, 0, 0, DateTimeKind.Utc).ToString(System.Globalization.CultureInfo.CurrentCulture), commands.Parameters);
        Assert.Equal(["München"], cities);
    }

    [Fact]
    public async Task Text_conditions_compare_the_stored_folded_keys_and_fold_nothing_in_the_query()
    {
        await using var db = data.Db();
        var filter = Expression($$"""
            {"v":1,"all":[{"field":"city","op":"contains","value":"MÜNCH"},{"field":"cf{{data.Field(CustomFieldType.Text).Id}}","op":"is","value":"Müllerin"},
              {"field":"firstname","op":"is","value":"LEAD"}]}
            """);

        var sql = SqlOf(db.Leads.Where(filter).ToQueryString());
        var cities = await db.Leads.Where(filter).Select(l => l.City).ToListAsync();

        Assert.Contains("\"CityKey\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"TextKey\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"FirstNameKey\"", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("replace(", sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("lower(", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["München"], cities);
    }

    [Fact]
    public void Imports_that_were_undone_failed_or_cancelled_are_broken_references_like_a_deleted_status()
    {
        Assert.Equal(3, data.ImportIds.Count);
        foreach (var gone in data.GoneImportIds)
        {
            var filter = FilterCheck.Check(new Filter(FilterGroup.AllOf(FilterCondition.Of("import", FilterOperators.NoneOf, new[] { data.ImportIds[0], gone }))), data.Catalogue);

            Assert.Equal(FilterProblems.ImportUnknown, Assert.Single(filter.Broken).Problem);
        }
    }

    [Fact]
    public void Fields_without_a_folded_key_compare_lower_cased_and_only_notes_fold_accents_in_the_query()
    {
        using var db = data.Db();
        var phone = SqlOf(db.Leads.Where(Expression("""{"v":1,"all":[{"field":"phone","op":"contains","value":"+39"}]}""")).ToQueryString());
        var notes = SqlOf(db.Leads.Where(Expression("""{"v":1,"all":[{"field":"notes","op":"contains","value":"grün"}]}""")).ToQueryString());

        // SQLite quotes the table alias ("l"."Phone"), PostgreSQL does not (l."Phone").
        Assert.Matches("lower\\(\"?l\"?\\.\"Phone\"\\)", phone);
        Assert.DoesNotContain("replace(", phone, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("replace(", notes, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<List<string?>> CitiesAsync(SchoolCrm.Web.Data.CrmDbContext db, string op, string value)
    {
        var filter = FilterCheck.Check(new Filter(FilterGroup.AllOf(FilterCondition.Of("city", op, value))), data.Catalogue);
        Assert.Empty(filter.Broken);
        return await db.Leads.Where(FilterExpressions.ToExpression(filter, data.Context)).OrderBy(l => l.Id).Select(l => l.City).ToListAsync();
    }

    private System.Linq.Expressions.Expression<Func<Lead, bool>> Expression(string json)
    {
        var read = FilterJson.Read(json);
        Assert.True(read.IsRead, read.Error);
        var filter = FilterCheck.Check(read.Filter!, data.Catalogue);
        Assert.Empty(filter.Broken);
        return FilterExpressions.ToExpression(filter, data.Context);
    }

    // ToQueryString lists the parameters' values first (SQLite: ".param set @p 'value'", PostgreSQL: "-- @p='value'");
    // the statement follows.
    private static string SqlOf(string queryString) =>
        string.Join('\n', queryString.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal) && !line.StartsWith("-- @", StringComparison.Ordinal)));

    /// <summary>The leads the SQL tests look for, besides a few that match nothing.</summary>
    public sealed class Leads : FilterDatabase
    {
        protected override async Task SeedAsync()
        {
            var created = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
            var text = Field(CustomFieldType.Text).Id;
            var multi = Field(CustomFieldType.MultipleChoice);
            var number = Field(CustomFieldType.Number).Id;

            // Comments and imports: only München was brought in by the second import and last commented 25 days ago.
            Lead New(string? city, bool consent = false, int? import = null, int[]? commentedDaysAgo = null, params CustomValueInput[] values)
            {
                var lead = NewLead(
                    new PersonDetails { FirstName = "Lead", City = city, CaptureDate = Today.AddDays(-30), PrivacyConsent = consent },
                    StatusIds[0], UserIds[0], UserIds[0], created, values, import);
                foreach (var days in commentedDaysAgo ?? [])
                {
                    AddComment(lead, UserIds[1], Today.AddDays(-days).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc));
                }

                return lead;
            }

            await AddAsync(
            [
                New(Injection),
                New("100% sure", import: ImportIds[0], commentedDaysAgo: [40]),
                New("100_sure"),
                New(@"100\sure"),
                New("100 sure", import: ImportIds[1]),
                New("strasse 5", import: ImportIds[1], commentedDaysAgo: [40, 5]),
                New("München", consent: true, import: ImportIds[1], commentedDaysAgo: [30, 25],
                    CustomValueInput.OfText(text, "Müllerin"),
                    CustomValueInput.OfOptions(multi.Id, [.. multi.Options.Select(o => o.Id)]),
                    CustomValueInput.OfNumber(number, 4300)),
                New(null),
            ]);
        }
    }

    private sealed class CommandLog : DbCommandInterceptor
    {
        public List<string> Texts { get; } = [];

        public List<string?> Parameters { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Record(DbCommand command)
        {
            Texts.Add(command.CommandText);
            // PostgreSQL binds a list as one array parameter (= ANY (@p)): each element counts as a value.
            Parameters.AddRange(command.Parameters.Cast<DbParameter>().SelectMany(p => p.Value is System.Collections.IEnumerable list and not string
                ? list.Cast<object?>().Select(v => v?.ToString())
                : [p.Value?.ToString()]));
        }
    }

    private sealed class MaterialisedLeads : IMaterializationInterceptor
    {
        public int Count { get; private set; }

        public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
        {
            if (entity is Lead)
            {
                Count++;
            }

            return entity;
        }
    }
}
