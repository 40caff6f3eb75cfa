using SchoolCrm.Domain.Import;

namespace SchoolCrm.Tests.Domain.Import;

public class CsvRecordsTests
{
    [Fact]
    public void Quoted_fields_keep_delimiters_quotes_and_line_breaks_and_lines_are_counted()
    {
        var csv = "Vorname;Notizen\r\nAnna;\"a; b\"\r\n\r\nLuca;\"says \"\"hi\"\"\nand more\"\nMia;x";

        var records = CsvRecords.Read(new StringReader(csv), ';', 100).ToList();

        Assert.Equal([1, 2, 4, 6], records.Select(r => r.LineNumber));
        Assert.Equal(["Anna", "a; b"], records[1].Fields);
        Assert.Equal(["Luca", "says \"hi\"\nand more"], records[2].Fields);
        Assert.Equal(["Mia", "x"], records[3].Fields);
    }

    [Fact]
    public void A_field_over_the_limit_stops_the_reading_with_its_line()
    {
        var csv = "a,b\n1," + new string('x', 50);

        var error = Assert.Throws<CsvFieldTooLongException>(() => CsvRecords.Read(new StringReader(csv), ',', 10).ToList());

        Assert.Equal(2, error.LineNumber);
    }

    [Theory]
    [InlineData("Vorname;Nachname;E-Mail", ';')]
    [InlineData("First name,Last name,E-mail", ',')]
    [InlineData("a\tb\tc", '\t')]
    [InlineData("\"Name, full\";City", ';')]
    public void The_delimiter_is_read_from_the_header(string header, char expected)
    {
        Assert.Equal(expected, CsvRecords.DetectDelimiter(header));
    }
}
