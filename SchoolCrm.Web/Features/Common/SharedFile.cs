namespace SchoolCrm.Web.Features.Common;

/// <summary>What a <see cref="SharedFile"/> is for.</summary>
public enum SharedFileKind
{
    /// <summary>An uploaded spreadsheet waiting for its preview and import.</summary>
    Upload = 0,

    /// <summary>A finished export waiting for its download.</summary>
    Export = 1,
}

/// <summary>
/// The record of a file in <see cref="TempFiles"/> that a later request may ask for, on whichever app node it
/// arrives: an upload (previewed and imported later, maybe through another node) or a finished export (downloaded
/// later). The file itself is in the shared folder; this row says whose it is and what it holds. It goes with its
/// file: when used up, or an hour after its last use (<see cref="TempFileSweeper"/>).
/// </summary>
public sealed class SharedFile
{
    public const int FileNameMaxLength = 260;

    /// <summary>A file name in the folder: a GUID and an extension.</summary>
    public const int StoredNameMaxLength = 64;

    /// <summary>The upload id or the export's download token.</summary>
    public Guid Id { get; set; }

    public SharedFileKind Kind { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>The name the user knows the file by (the uploaded file's, or the download's).</summary>
    public string FileName { get; set; } = "";

    /// <summary>The file's name in the shared folder (not a full path: each node may mount the folder elsewhere).</summary>
    public string StoredName { get; set; } = "";

    /// <summary>An upload's copy of its rows, once a full read made one (<c>SheetRowFile</c>).</summary>
    public string? RowsStoredName { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Last preview, import start or download attempt: the hour until it is swept starts here.</summary>
    public DateTime LastUsedAt { get; set; }

    /// <summary>The import started with this upload, if any.</summary>
    public int? ImportId { get; set; }

    /// <summary>What the kind needs besides, as JSON: an upload's inspection and headers, an export's row count.</summary>
    public string Details { get; set; } = "{}";

    /// <summary>An upload's settings of its last preview (JSON), which the error-rows download repeats.</summary>
    public string? LastSettings { get; set; }
}
