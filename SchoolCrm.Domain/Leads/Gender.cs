namespace SchoolCrm.Domain.Leads;

public enum Gender
{
    NotGiven = 0,
    Male = 1,
    Female = 2,
}
