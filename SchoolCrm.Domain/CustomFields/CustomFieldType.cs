namespace SchoolCrm.Domain.CustomFields;

public enum CustomFieldType
{
    Text = 0,
    LongText = 1,
    Number = 2,
    Date = 3,
    Checkbox = 4,
    SingleChoice = 5,
    MultipleChoice = 6,
}
