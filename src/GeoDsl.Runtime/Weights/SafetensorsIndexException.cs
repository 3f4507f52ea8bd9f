using System;

namespace GeoDsl.Runtime.Weights;

/// <summary>A sharded checkpoint's index is malformed or does not match its shards.</summary>
public sealed class SafetensorsIndexException : Exception
{
    public SafetensorsIndexException(string indexPath, string? shardFile, string? tensorName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        IndexPath = indexPath;
        ShardFile = shardFile;
        TensorName = tensorName;
    }

    public string IndexPath { get; }

    /// <summary>The shard at fault, as the index names it, or null.</summary>
    public string? ShardFile { get; }

    /// <summary>The tensor at fault, or null.</summary>
    public string? TensorName { get; }
}
