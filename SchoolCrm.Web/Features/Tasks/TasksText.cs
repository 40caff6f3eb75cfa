namespace SchoolCrm.Web.Features.Tasks;

/// <summary>Marker for the texts of tasks and events (TasksText.resx, TasksText.de.resx, TasksText.it.resx).</summary>
public sealed class TasksText;
