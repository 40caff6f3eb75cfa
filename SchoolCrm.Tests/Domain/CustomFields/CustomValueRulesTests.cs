using SchoolCrm.Domain;
using SchoolCrm.Domain.CustomFields;

namespace SchoolCrm.Tests.Domain.CustomFields;

public class CustomValueRulesTests
{
    private static CustomFieldDefinition Field(int id, CustomFieldType type, bool required = false, bool archived = false, params int[] optionIds) =>
        new(id, "Field " + id, type, required, archived, [.. optionIds.Select(o => new CustomFieldOptionDefinition(o, "Option " + o))]);

    private static (IReadOnlyList<CustomFieldValue> Rows, string? Error) CheckOne(CustomFieldDefinition field, CustomValueInput input)
    {
        var (rows, error) = CustomValueRules.CheckField(field, input);
        return (rows, error?.Code);
    }

    [Fact]
    public void Text_is_trimmed_and_stored()
    {
        var (rows, error) = CheckOne(Field(1, CustomFieldType.Text), CustomValueInput.OfText(1, "  Music  "));

        Assert.Null(error);
        Assert.Equal("Music", Assert.Single(rows).TextValue);
    }

    [Fact]
    public void Blank_text_is_no_value()
    {
        var (rows, error) = CheckOne(Field(1, CustomFieldType.Text), CustomValueInput.OfText(1, "   "));

        Assert.Null(error);
        Assert.Empty(rows);
    }

    [Fact]
    public void Text_longer_than_500_characters_is_refused_and_500_pass()
    {
        var field = Field(1, CustomFieldType.Text);

        Assert.Equal("text.too_long", CheckOne(field, CustomValueInput.OfText(1, new string('a', 501))).Error);
        Assert.Null(CheckOne(field, CustomValueInput.OfText(1, new string('a', 500))).Error);
    }

    [Fact]
    public void Long_text_allows_4000_characters_but_not_more()
    {
        var field = Field(1, CustomFieldType.LongText);

        var (rows, error) = CheckOne(field, CustomValueInput.OfText(1, new string('a', 4000)));
        Assert.Null(error);
        Assert.Equal(4000, Assert.Single(rows).TextValue!.Length);
        Assert.Equal("text.too_long", CheckOne(field, CustomValueInput.OfText(1, new string('a', 4001))).Error);
    }

    [Fact]
    public void A_number_is_stored_in_the_number_column()
    {
        var (rows, error) = CheckOne(Field(1, CustomFieldType.Number), CustomValueInput.OfNumber(1, -2.5));

        Assert.Null(error);
        var row = Assert.Single(rows);
        Assert.Equal(-2.5, row.NumberValue);
        Assert.Null(row.TextValue);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_number_that_is_not_finite_is_refused(double number)
    {
        Assert.Equal("number.invalid", CheckOne(Field(1, CustomFieldType.Number), CustomValueInput.OfNumber(1, number)).Error);
    }

    [Fact]
    public void A_date_is_stored_in_the_date_column()
    {
        var (rows, error) = CheckOne(Field(1, CustomFieldType.Date), CustomValueInput.OfDate(1, new DateOnly(2024, 9, 1)));

        Assert.Null(error);
        Assert.Equal(new DateOnly(2024, 9, 1), Assert.Single(rows).DateValue);
    }

    [Fact]
    public void A_ticked_checkbox_stores_true_and_an_unticked_one_stores_nothing()
    {
        var field = Field(1, CustomFieldType.Checkbox);

        Assert.True(Assert.Single(CheckOne(field, CustomValueInput.OfCheckbox(1, true)).Rows).BoolValue);
        Assert.Empty(CheckOne(field, CustomValueInput.OfCheckbox(1, false)).Rows);
    }

    [Fact]
    public void A_required_checkbox_may_stay_unticked()
    {
        var (rows, error) = CheckOne(Field(1, CustomFieldType.Checkbox, required: true), CustomValueInput.OfCheckbox(1, false));

        Assert.Null(error);
        Assert.Empty(rows);
    }

    [Fact]
    public void Single_choice_takes_one_option_of_its_field()
    {
        var (rows, error) = CheckOne(Field(1, CustomFieldType.SingleChoice, optionIds: [10, 11]), CustomValueInput.OfOptions(1, 11));

        Assert.Null(error);
        Assert.Equal(11, Assert.Single(rows).OptionId);
    }

    [Fact]
    public void Single_choice_refuses_two_options()
    {
        var error = CheckOne(Field(1, CustomFieldType.SingleChoice, optionIds: [10, 11]), CustomValueInput.OfOptions(1, 10, 11)).Error;

        Assert.Equal("customfield.single_option", error);
    }

    [Theory]
    [InlineData(CustomFieldType.SingleChoice)]
    [InlineData(CustomFieldType.MultipleChoice)]
    public void A_choice_refuses_an_option_of_another_field_or_a_removed_one(CustomFieldType type)
    {
        var error = CheckOne(Field(1, type, optionIds: [10, 11]), CustomValueInput.OfOptions(1, 10, 99)).Error;

        Assert.Equal("customfield.option_invalid", error);
    }

    [Fact]
    public void Multiple_choice_stores_one_row_per_distinct_option()
    {
        var (rows, error) = CheckOne(Field(1, CustomFieldType.MultipleChoice, optionIds: [10, 11, 12]), CustomValueInput.OfOptions(1, 12, 10, 12));

        Assert.Null(error);
        Assert.Equal([10, 12], rows.Select(r => r.OptionId!.Value));
    }

    [Theory]
    [InlineData(CustomFieldType.Text)]
    [InlineData(CustomFieldType.LongText)]
    [InlineData(CustomFieldType.Number)]
    [InlineData(CustomFieldType.Date)]
    [InlineData(CustomFieldType.SingleChoice)]
    [InlineData(CustomFieldType.MultipleChoice)]
    public void A_required_field_without_a_value_is_refused(CustomFieldType type)
    {
        var error = CheckOne(Field(1, type, required: true, optionIds: [10]), CustomValueInput.Empty(1)).Error;

        Assert.Equal("required", error);
    }

    [Fact]
    public void Only_the_slot_of_the_fields_type_is_read()
    {
        var input = CustomValueInput.Empty(1) with { Text = "12", Number = 3 };

        var (rows, _) = CheckOne(Field(1, CustomFieldType.Number), input);

        var row = Assert.Single(rows);
        Assert.Equal(3, row.NumberValue);
        Assert.Null(row.TextValue);
    }

    [Fact]
    public void Check_names_the_failing_field_and_keeps_the_good_ones()
    {
        CustomFieldDefinition[] fields = [Field(1, CustomFieldType.Text), Field(2, CustomFieldType.Number, required: true)];

        var check = CustomValueRules.Check(fields, [CustomValueInput.OfText(1, "ok"), CustomValueInput.Empty(2)]);

        Assert.False(check.IsValid);
        var error = Assert.Single(check.Errors);
        Assert.Equal("CustomField:2", error.Field);
        Assert.Equal("required", error.Code);
        Assert.Equal("ok", Assert.Single(check.Values).TextValue);
    }

    [Fact]
    public void Check_ignores_archived_and_unknown_fields_so_their_values_stay()
    {
        CustomFieldDefinition[] fields = [Field(1, CustomFieldType.Text, archived: true, required: true), Field(2, CustomFieldType.Text)];

        var check = CustomValueRules.Check(fields, [CustomValueInput.OfText(1, "changed"), CustomValueInput.OfText(7, "deleted field"), CustomValueInput.OfText(2, "x")]);

        Assert.True(check.IsValid);
        Assert.Equal([2], check.FieldIds);
        List<CustomFieldValue> current = [CustomFieldValue.Text(1, "archived value")];
        CustomValueRules.Replace(current, check);
        Assert.Contains(current, v => v.CustomFieldId == 1 && v.TextValue == "archived value");
    }

    [Fact]
    public void Check_reports_an_active_required_field_the_input_left_out()
    {
        var check = CustomValueRules.Check([Field(3, CustomFieldType.Date, required: true)], []);

        Assert.Equal("CustomField:3", Assert.Single(check.Errors).Field);
    }

    [Fact]
    public void Replace_swaps_only_changed_fields_and_says_from_what_to_what()
    {
        CustomFieldDefinition[] fields =
        [
            Field(1, CustomFieldType.Text),
            Field(2, CustomFieldType.MultipleChoice, optionIds: [10, 11, 12]),
            Field(3, CustomFieldType.Number),
        ];
        var unchanged = CustomFieldValue.Number(3, 7);
        List<CustomFieldValue> current = [CustomFieldValue.Text(1, "old"), CustomFieldValue.Option(2, 10), unchanged];
        var check = CustomValueRules.Check(fields, [CustomValueInput.OfText(1, "new"), CustomValueInput.OfOptions(2, 12, 11), CustomValueInput.OfNumber(3, 7)]);

        var change = CustomValueRules.Replace(current, check);

        Assert.Equal(2, change.Removed.Count);
        Assert.Contains(unchanged, current);
        Assert.Equal(
            [("CustomField:1", "old", "new"), ("CustomField:2", "10", "11,12")],
            change.Changes.Select(c => (c.Field, c.OldValue, c.NewValue)));
        Assert.Equal(4, current.Count);
    }

    [Fact]
    public void Replace_refuses_a_check_with_errors()
    {
        var check = CustomValueRules.Check([Field(1, CustomFieldType.Text, required: true)], [CustomValueInput.Empty(1)]);

        var error = Assert.Throws<DomainException>(() => CustomValueRules.Replace([], check));
        Assert.Equal("required", error.Code);
        Assert.Equal("CustomField:1", error.Field);
    }

    [Fact]
    public void History_values_are_invariant()
    {
        Assert.Equal("2.5", CustomValueRules.Format([CustomFieldValue.Number(1, 2.5)]));
        Assert.Equal("2024-09-01", CustomValueRules.Format([CustomFieldValue.Date(1, new DateOnly(2024, 9, 1))]));
        Assert.Equal("true", CustomValueRules.Format([CustomFieldValue.Checkbox(1, true)]));
        Assert.Null(CustomValueRules.Format([]));
    }

    [Fact]
    public void Stored_rows_turn_back_into_the_input_a_form_edits()
    {
        var input = CustomValueInput.FromRows(2, [CustomFieldValue.Option(2, 11), CustomFieldValue.Option(2, 10), CustomFieldValue.Text(1, "other field")]);

        Assert.Equal([11, 10], input.OptionIds);
        Assert.Null(input.Text);
    }

    [Fact]
    public void Field_keys_round_trip()
    {
        Assert.True(CustomValueRules.TryParseFieldKey(CustomValueRules.FieldKey(42), out var id));
        Assert.Equal(42, id);
        Assert.False(CustomValueRules.TryParseFieldKey("StatusId", out _));
        Assert.False(CustomValueRules.TryParseFieldKey("CustomField:-1", out _));
    }
}
