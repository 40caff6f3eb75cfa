namespace SchoolCrm.Web.Features.Leads.Import;

/// <summary>The "Import" section of appsettings.json: how big a file the school accepts.</summary>
public sealed class ImportLimits
{
    public const string Section = "Import";

    /// <summary>Excel's own limit for the text in one cell.</summary>
    public const int MaxCellLength = 32_767;

    /// <summary>Refuse zip parts that inflate more than this (a normal sheet inflates 5 to 20 times).</summary>
    public const int MaxCompressionRatio = 100;

    /// <summary>The ratio is only judged for parts at least this big: tiny XML parts legitimately compress very well.</summary>
    public const long RatioCheckFromBytes = 1024 * 1024;

    public int MaxFileMegabytes { get; set; } = 25;

    public int MaxRows { get; set; } = 200_000;

    /// <summary>More columns than any lead file needs; bounds the work per row of a hostile sheet.</summary>
    public int MaxColumns { get; set; } = 500;

    /// <summary>The largest uncompressed part (sheet XML) read; 200k rows of 20 columns are about 100 MB.</summary>
    public int MaxPartMegabytes { get; set; } = 400;

    /// <summary>Uploaded files one user may hold at once (one per open import page), each at most an hour.</summary>
    public int MaxPendingUploads { get; set; } = 3;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;

    public long MaxPartBytes => MaxPartMegabytes * 1024L * 1024L;
}
