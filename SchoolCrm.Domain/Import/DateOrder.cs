namespace SchoolCrm.Domain.Import;

/// <summary>
/// How to read a date such as 03/05/2001 whose first two parts could each be the day or the month.
/// </summary>
public enum DateOrder
{
    DayFirst = 0,
    MonthFirst = 1,
}
