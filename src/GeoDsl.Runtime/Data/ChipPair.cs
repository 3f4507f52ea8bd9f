namespace GeoDsl.Runtime.Data;

/// <summary>One chip: its name (the shared part of the file names) and its image and mask files.</summary>
public sealed record ChipPair(string Name, string ImagePath, string MaskPath);
