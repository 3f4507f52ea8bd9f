using System.Buffers.Binary;
using System.Text;

namespace GeoDsl.Runtime.Tests.Weights;

/// <summary>A scratch folder per test class, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "geodsl-weights-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder is harmless.
        }
    }
}

/// <summary>
/// Builds .safetensors bytes by hand from the format's description, independent of the code under test:
/// 8-byte little-endian header length, the header JSON, then the raw little-endian data.
/// </summary>
public static class HandBuilt
{
    public static byte[] File(string headerJson, byte[] data, ulong? declaredHeaderLength = null, bool padTo8 = true)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        if (padTo8)
        {
            header = header.Concat(Enumerable.Repeat((byte)' ', (8 - header.Length % 8) % 8)).ToArray();
        }
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, declaredHeaderLength ?? (ulong)header.Length);
        return length.Concat(header).Concat(data).ToArray();
    }

    public static string Write(TempDirectory directory, string fileName, string headerJson, byte[] data, ulong? declaredHeaderLength = null)
    {
        var path = directory.File(fileName);
        System.IO.File.WriteAllBytes(path, File(headerJson, data, declaredHeaderLength));
        return path;
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }
        return bytes;
    }

    public static byte[] UInt16s(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }
        return bytes;
    }

    public static byte[] Zeros(int count) => new byte[count];
}

public static class TensorAssert
{
    /// <summary>Same dtype, shape and every element equal (TorchSharp's Tensor.equal is elementwise).</summary>
    public static void Identical(TorchSharp.torch.Tensor expected, TorchSharp.torch.Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.equal(actual).all().item<bool>(), "tensor values differ");
    }
}
