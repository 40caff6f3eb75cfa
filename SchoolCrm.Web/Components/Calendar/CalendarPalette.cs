namespace SchoolCrm.Web.Components.Calendar;

/// <summary>
/// Colours for things that have none of their own, such as task types (only lead statuses have a configured
/// colour): the same key always gets the same colour, neighbouring keys different ones.
/// </summary>
public static class CalendarPalette
{
    // Material 600 shades, readable as an edge and as a light tint behind dark text.
    private static readonly string[] Colors =
    [
        "#1E88E5", "#43A047", "#FB8C00", "#8E24AA", "#E53935", "#00897B", "#6D4C41", "#3949AB", "#C0CA33", "#D81B60",
    ];

    public static string For(int key) => Colors[(int)((uint)key % (uint)Colors.Length)];
}
