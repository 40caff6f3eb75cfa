using System.Data;
using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using SchoolCrm.Domain.CustomFields;
using SchoolCrm.Domain.Import;
using SchoolCrm.Domain.Leads.Fields;

namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>The files the import screen hands out: the blank template and the error rows.</summary>
public static class ImportSpreadsheets
{
    public sealed record UserName(string Email, string DisplayName);

    /// <summary>
    /// A header row with every standard field and every active custom field in the user's language, and a
    /// second sheet with the values each column accepts.
    /// </summary>
    public static void WriteTemplate(Stream output, IReadOnlyList<CustomField> customFields, IReadOnlyList<string> statuses, IReadOnlyList<UserName> users, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(customFields);
        var headers = LeadFields.Importable.Select(f => LeadFieldLabels.For(f, culture))
            .Concat(customFields.Select(f => f.Name)).ToList();

        // A table without rows still writes its header row, which a list of rows cannot.
        using var leads = new DataTable();
        var columns = new List<DynamicExcelColumn>();
        for (int i = 0; i < headers.Count; i++)
        {
            var key = "c" + i.ToString(CultureInfo.InvariantCulture);
            leads.Columns.Add(key, typeof(string));
            columns.Add(new DynamicExcelColumn(key) { Name = headers[i] });
        }

        columns.Add(new DynamicExcelColumn("v0") { Name = Text("Template_Field", culture) });
        columns.Add(new DynamicExcelColumn("v1") { Name = Text("Template_Value", culture) });
        columns.Add(new DynamicExcelColumn("v2") { Name = Text("Template_Note", culture) });

        var sheets = new Dictionary<string, object>
        {
            [Text("Template_SheetLeads", culture)] = leads,
            [Text("Template_SheetValues", culture)] = AllowedValues(customFields, statuses, users, culture).ToList(),
        };
        output.SaveAs(sheets, configuration: new OpenXmlConfiguration { DynamicColumns = [.. columns], AutoFilter = false });
    }

    /// <summary>The rows with errors, each cell as the file had it, then the row number and the reasons.</summary>
    public static void WriteErrorRows(Stream output, IReadOnlyList<string> headers, IEnumerable<(SheetRow Row, string Reasons)> rows, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var columns = headers.Select((h, i) => new DynamicExcelColumn(Key(i)) { Name = h }).ToList();
        columns.Add(new DynamicExcelColumn("row") { Name = Text("ErrorFile_Row", culture) });
        columns.Add(new DynamicExcelColumn("reason") { Name = Text("ErrorFile_Reason", culture) });

        var first = true;
        IEnumerable<Dictionary<string, object?>> Lines()
        {
            foreach (var (row, reasons) in rows)
            {
                first = false;
                yield return Line(headers.Count, row, reasons);
            }

            // MiniExcel takes the columns from the first row; an empty file still gets its header.
            if (first)
            {
                yield return Line(headers.Count, new SheetRow(0, []), "");
            }
        }

        output.SaveAs(Lines(), configuration: new OpenXmlConfiguration { DynamicColumns = [.. columns] });
    }

    private static Dictionary<string, object?> Line(int columnCount, SheetRow row, string reasons)
    {
        var line = new Dictionary<string, object?>(columnCount + 2);
        for (int i = 0; i < columnCount; i++)
        {
            var cell = i < row.Cells.Length ? row.Cells[i] : null;
            line[Key(i)] = cell is string text ? FormulaSafety.Protect(text) : cell;
        }

        line["row"] = row.RowNumber == 0 ? null : row.RowNumber;
        line["reason"] = reasons;
        return line;
    }

    private static IEnumerable<Dictionary<string, object?>> AllowedValues(IReadOnlyList<CustomField> customFields, IReadOnlyList<string> statuses, IReadOnlyList<UserName> users, CultureInfo culture)
    {
        Dictionary<string, object?> Line(string field, string value, string note = "") => new() { ["v0"] = field, ["v1"] = value, ["v2"] = note };
        string Label(LeadField f) => LeadFieldLabels.For(f, culture);
        var dateFormats = Text("Template_DateFormats", culture);
        var yesNoNote = Text("Template_YesNoNote", culture);

        yield return Line(Label(LeadFields.FirstName), "", Text("Template_Required", culture));
        foreach (var field in LeadFields.Importable.Where(f => f.Type == LeadFieldType.Date))
        {
            yield return Line(Label(field), dateFormats, field == LeadFields.CaptureDate ? Text("Template_CaptureDateNote", culture) : "");
        }

        yield return Line(Label(LeadFields.Gender), LeadColumnLabels.Gender(Domain.Leads.Gender.Male, culture), Text("Template_GenderNote", culture));
        yield return Line(Label(LeadFields.Gender), LeadColumnLabels.Gender(Domain.Leads.Gender.Female, culture));
        yield return Line(Label(LeadFields.PrivacyConsent), LeadColumnLabels.YesNo(true, culture), yesNoNote);
        yield return Line(Label(LeadFields.PrivacyConsent), LeadColumnLabels.YesNo(false, culture));
        foreach (var status in statuses)
        {
            yield return Line(Label(LeadFields.Status), status, Text("Template_StatusNote", culture));
        }

        foreach (var user in users)
        {
            yield return Line(Label(LeadFields.AssignedTo), user.Email, user.DisplayName);
        }

        foreach (var field in customFields)
        {
            switch (field.Type)
            {
                case CustomFieldType.Date:
                    yield return Line(field.Name, dateFormats);
                    break;
                case CustomFieldType.Checkbox:
                    yield return Line(field.Name, LeadColumnLabels.YesNo(true, culture), yesNoNote);
                    yield return Line(field.Name, LeadColumnLabels.YesNo(false, culture));
                    break;
                case CustomFieldType.Number:
                    yield return Line(field.Name, "1234.5", Text("Template_NumberNote", culture));
                    break;
                case CustomFieldType.SingleChoice:
                case CustomFieldType.MultipleChoice:
                    var note = field.Type == CustomFieldType.MultipleChoice ? Text("Template_MultipleNote", culture) : "";
                    foreach (var option in field.Options.OrderBy(o => o.SortOrder))
                    {
                        yield return Line(field.Name, option.Label, note);
                    }

                    break;
            }
        }
    }

    private static string Key(int column) => "c" + column.ToString(CultureInfo.InvariantCulture);

    private static string Text(string key, CultureInfo culture) => LeadColumnLabels.Text(key, culture);
}
