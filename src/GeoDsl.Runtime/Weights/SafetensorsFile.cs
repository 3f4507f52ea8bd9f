using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Weights;

/// <summary>
/// Reads and writes .safetensors files. Reading validates the header first (<see cref="SafetensorsHeader"/>)
/// and then copies each tensor's bytes from its validated offsets; writing produces the same layout
/// as Python's <c>safetensors.torch.save_file</c>.
/// </summary>
/// <remarks>
/// The reader is our own rather than TorchSharp.PyBridge's <c>Safetensors.LoadStateDict</c>: that one
/// parses the header again without checks and reads each tensor into one managed array, which fails
/// beyond 2 GB. Here tensors stream into their storage in chunks, in file order.
/// </remarks>
public static class SafetensorsFile
{
    /// <summary>Bytes moved per read or write; bounds the managed memory a multi-gigabyte tensor needs.</summary>
    private const int ChunkBytes = 16 << 20;

    /// <summary>Reads every tensor of the file at <paramref name="path"/> onto the CPU, keyed by name.</summary>
    /// <exception cref="SafetensorsFormatException">The header breaks a rule of the format.</exception>
    /// <exception cref="NotSupportedException">A tensor's dtype has no TorchSharp counterpart (unsigned 16/32/64-bit, 8-, 6- and 4-bit floats).</exception>
    public static Dictionary<string, Tensor> Read(string path) => Read(path, include: null);

    /// <summary>
    /// Reads the tensors whose names <paramref name="include"/> accepts (all when null). The whole
    /// header is validated either way.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path, Func<string, bool>? include)
    {
        ArgumentNullException.ThrowIfNull(path);
        EnsureLittleEndianHost();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var header = SafetensorsHeader.Read(stream, path);
        var selected = header.Tensors.Where(t => include is null || include(t.Name)).ToList();

        // Check every dtype before allocating anything, so an unsupported one fails fast.
        foreach (var info in selected)
        {
            if (info.DType.ToScalarType() is null)
            {
                throw new NotSupportedException(
                    $"'{Path.GetFileName(path)}': tensor '{info.Name}' is {info.DType.SpecName()} {info.ShapeText}, which TorchSharp has no tensor type for. " +
                    "Convert it before export (in Python, e.g. tensor.to(torch.float32) or tensor.to(torch.int64)), " +
                    "or leave it out of the read with the include filter.");
            }
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var buffer = new byte[ChunkBytes];
        try
        {
            foreach (var info in selected)
            {
                var tensor = torch.empty(info.Shape.ToArray(), dtype: info.DType.ToScalarType()!.Value);
                result.Add(info.Name, tensor);
                stream.Position = header.DataOffset + info.DataBegin;
                FillFromStream(tensor, stream, buffer, info.ByteLength, path, info.Name);
            }
        }
        catch
        {
            foreach (var tensor in result.Values)
            {
                tensor.Dispose();
            }
            throw;
        }
        return result;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> as a spec-conforming file: header JSON
    /// padded with spaces to a multiple of 8 bytes, tensors contiguous and ordered like the reference
    /// writer (widest dtype first, then by name), so each starts aligned to its element size. The file is
    /// written beside the target and renamed over it, so a crash never leaves a half-written file.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty or reserved, or a tensor's dtype has no safetensors counterpart.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureLittleEndianHost();

        var entries = new List<(string Name, SafetensorsDType DType, Tensor Tensor)>();
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == SafetensorsHeader.MetadataKey)
            {
                throw new ArgumentException(
                    $"Cannot write '{Path.GetFileName(path)}': tensor name '{name}' is empty or the reserved '{SafetensorsHeader.MetadataKey}'. Rename the tensor.",
                    nameof(tensors));
            }
            var dtype = SafetensorsDTypes.FromScalarType(tensor.dtype) ?? throw new ArgumentException(
                $"Cannot write '{Path.GetFileName(path)}': tensor '{name}' is {tensor.dtype}, which safetensors has no dtype for. " +
                "Convert it first (e.g. tensor.to(ScalarType.Float32)).",
                nameof(tensors));
            entries.Add((name, dtype, tensor));
        }
        entries.Sort((a, b) =>
        {
            var byWidth = b.DType.CompareTo(a.DType);
            return byWidth != 0 ? byWidth : string.CompareOrdinal(a.Name, b.Name);
        });

        var headerBytes = BuildHeader(entries, metadata);
        if (headerBytes.Length > SafetensorsHeader.MaxHeaderLength)
        {
            // Readers, ours included, refuse such headers as damage; better to fail here than write an unreadable file.
            throw new ArgumentException(
                $"Cannot write '{Path.GetFileName(path)}': its header would be {headerBytes.Length} bytes, above the format's limit of {SafetensorsHeader.MaxHeaderLength}. " +
                "Split the tensors over several files (a sharded checkpoint) or shorten the metadata.",
                nameof(tensors));
        }
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporaryPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                Span<byte> lengthField = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(lengthField, (ulong)headerBytes.Length);
                stream.Write(lengthField);
                stream.Write(headerBytes);
                var buffer = new byte[ChunkBytes];
                foreach (var (_, _, tensor) in entries)
                {
                    WriteTensorBytes(tensor, stream, buffer);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    /// <summary>
    /// Header JSON in the reference writer's compact form: <c>__metadata__</c> first, then tensors in
    /// buffer order, each as {"dtype","shape","data_offsets"}, padded with spaces to 8 bytes.
    /// </summary>
    private static byte[] BuildHeader(List<(string Name, SafetensorsDType DType, Tensor Tensor)> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder();
        json.Append('{');
        var first = true;
        if (metadata is { Count: > 0 })
        {
            json.Append('"').Append(SafetensorsHeader.MetadataKey).Append("\":{");
            var firstPair = true;
            foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (!firstPair)
                {
                    json.Append(',');
                }
                AppendJsonString(json, key).Append(':');
                AppendJsonString(json, value);
                firstPair = false;
            }
            json.Append('}');
            first = false;
        }

        long offset = 0;
        foreach (var (name, dtype, tensor) in entries)
        {
            var byteLength = tensor.NumberOfElements * tensor.ElementSize;
            if (!first)
            {
                json.Append(',');
            }
            AppendJsonString(json, name);
            json.Append(":{\"dtype\":\"").Append(dtype.SpecName()).Append("\",\"shape\":[");
            json.Append(string.Join(",", tensor.shape.Select(d => d.ToString(CultureInfo.InvariantCulture))));
            json.Append("],\"data_offsets\":[")
                .Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((offset + byteLength).ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset += byteLength;
            first = false;
        }
        json.Append('}');

        var utf8Length = Encoding.UTF8.GetByteCount(json.ToString());
        json.Append(' ', (8 - utf8Length % 8) % 8);
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>Escapes like serde_json: quote, backslash and control characters; everything else as raw UTF-8.</summary>
    private static StringBuilder AppendJsonString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }
                    break;
            }
        }
        return json.Append('"');
    }

    /// <summary>Streams <paramref name="byteLength"/> bytes into a freshly allocated (contiguous, CPU) tensor.</summary>
    private static void FillFromStream(Tensor tensor, Stream stream, byte[] buffer, long byteLength, string path, string name)
    {
        if (byteLength == 0)
        {
            return;
        }
        var elementSize = tensor.ElementSize;
        var elementsPerChunk = buffer.Length / elementSize;
        using var flat = tensor.view(-1);
        var totalElements = flat.shape[0];
        for (long start = 0; start < totalElements; start += elementsPerChunk)
        {
            var count = Math.Min(elementsPerChunk, totalElements - start);
            var chunk = buffer.AsSpan(0, checked((int)(count * elementSize)));
            try
            {
                stream.ReadExactly(chunk);
            }
            catch (EndOfStreamException ex)
            {
                // The header was checked against the file length, so this means the file shrank while being read.
                throw new IOException($"'{Path.GetFileName(path)}': tensor '{name}' ended early; the file changed while it was being read. Read it again.", ex);
            }
            using var part = flat.narrow(0, start, count);
            part.bytes = chunk;
        }
    }

    private static void WriteTensorBytes(Tensor tensor, Stream stream, byte[] buffer)
    {
        if (tensor.NumberOfElements == 0)
        {
            return;
        }
        // bytes needs a contiguous CPU tensor; detach so autograd state does not matter.
        using var noGrad = torch.no_grad();
        var source = tensor.detach();
        var owned = new List<Tensor> { source };
        try
        {
            if (source.device_type != DeviceType.CPU)
            {
                source = source.cpu();
                owned.Add(source);
            }
            if (!source.is_contiguous())
            {
                source = source.contiguous();
                owned.Add(source);
            }
            var elementSize = source.ElementSize;
            var elementsPerChunk = buffer.Length / elementSize;
            var flat = source.view(-1);
            owned.Add(flat);
            var totalElements = flat.shape[0];
            for (long start = 0; start < totalElements; start += elementsPerChunk)
            {
                var count = Math.Min(elementsPerChunk, totalElements - start);
                using var part = flat.narrow(0, start, count);
                stream.Write(part.bytes);
            }
        }
        finally
        {
            foreach (var t in owned)
            {
                t.Dispose();
            }
        }
    }

    private static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors stores little-endian data; this reader supports little-endian hosts only.");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
