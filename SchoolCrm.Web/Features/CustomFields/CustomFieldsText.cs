namespace SchoolCrm.Web.Features.CustomFields;

/// <summary>Marker for the custom field screen's strings (CustomFieldsText.resx, CustomFieldsText.de.resx), type names included.</summary>
public sealed class CustomFieldsText;
