using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace GeoDsl.Runtime.Weights;

/// <summary>
/// The validated header of a .safetensors file: 8 bytes of little-endian header length N, N bytes
/// of UTF-8 JSON describing every tensor, then the data buffer the tensors index. Reading checks
/// every rule of the format (TorchSharp.PyBridge's reader checks none of them), so a file that
/// gets past <see cref="Read(string)"/> can be loaded by offset without further checks.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The largest header the reference implementation accepts (100 MB); larger is treated as damage, not data.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>The reserved key holding free-form string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    internal const string ReexportFix =
        "The file is damaged or was written by a tool that does not follow the safetensors format; " +
        "copy it again, or re-save the weights with safetensors.torch.save_file.";

    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsHeader(
        string filePath,
        long headerLength,
        long dataLength,
        IReadOnlyDictionary<string, string> metadata,
        IReadOnlyList<SafetensorsTensorInfo> tensorsInBufferOrder)
    {
        FilePath = filePath;
        HeaderLength = headerLength;
        DataLength = dataLength;
        Metadata = metadata;
        Tensors = tensorsInBufferOrder;
        _byName = tensorsInBufferOrder.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file as it was given to <see cref="Read(string)"/>.</summary>
    public string FilePath { get; }

    /// <summary>N: the length of the JSON header, padding included.</summary>
    public long HeaderLength { get; }

    /// <summary>Where the data buffer starts in the file: 8 + N.</summary>
    public long DataOffset => 8 + HeaderLength;

    /// <summary>The data buffer's length: everything after the header.</summary>
    public long DataLength { get; }

    /// <summary>The <c>__metadata__</c> map, empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every tensor, in the order its bytes appear in the data buffer.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    public bool Contains(string tensorName) => _byName.ContainsKey(tensorName);

    public bool TryGetTensor(string tensorName, out SafetensorsTensorInfo info)
    {
        if (_byName.TryGetValue(tensorName, out var found))
        {
            info = found;
            return true;
        }
        info = null!;
        return false;
    }

    /// <summary>Reads and validates the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="SafetensorsFormatException">The file breaks a rule of the format.</exception>
    public static SafetensorsHeader Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads and validates the header from the start of <paramref name="stream"/>, which must hold the
    /// whole file (its length is checked against the offsets). <paramref name="filePath"/> names it in errors.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The file breaks a rule of the format.</exception>
    public static SafetensorsHeader Read(Stream stream, string filePath)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(filePath);
        var errors = new ErrorFactory(filePath);

        var fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw errors.Create(null,
                $"the file is {fileLength} bytes long, too short for the 8-byte header length every safetensors file starts with",
                ReexportFix);
        }

        stream.Position = 0;
        Span<byte> lengthField = stackalloc byte[8];
        stream.ReadExactly(lengthField);
        var declaredLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthField);
        if (declaredLength > MaxHeaderLength)
        {
            throw errors.Create(null,
                $"the first 8 bytes declare a {declaredLength}-byte header, above the format's limit of {MaxHeaderLength} bytes; " +
                "this is not a safetensors file or its start is damaged",
                ReexportFix);
        }
        var headerLength = (long)declaredLength;
        if (headerLength > fileLength - 8)
        {
            throw errors.Create(null,
                $"the first 8 bytes declare a {headerLength}-byte header but only {fileLength - 8} bytes follow them; the file is truncated",
                ReexportFix);
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        return Parse(headerBytes, fileLength - 8 - headerLength, filePath);
    }

    /// <summary>
    /// Validates header JSON that is followed by a data buffer of <paramref name="dataLength"/> bytes.
    /// </summary>
    internal static SafetensorsHeader Parse(ReadOnlySpan<byte> headerJson, long dataLength, string filePath)
    {
        var errors = new ErrorFactory(filePath);
        var invalidAt = FirstInvalidUtf8Offset(headerJson);
        if (invalidAt >= 0)
        {
            throw errors.Create(null, $"the header is not valid UTF-8 (byte {invalidAt} of the header)", ReexportFix);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<SafetensorsTensorInfo>();
        var reader = new Utf8JsonReader(headerJson, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        string? currentKey = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                var found = reader.TokenType == JsonTokenType.None ? "nothing" : DescribeToken(reader.TokenType);
                throw errors.Create(null, $"the header must be a JSON object ({{...}}) but holds {found}", ReexportFix);
            }

            var seenKeys = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                currentKey = reader.GetString()!;
                if (!seenKeys.Add(currentKey))
                {
                    throw errors.Create(currentKey == MetadataKey ? null : currentKey,
                        currentKey == MetadataKey
                            ? $"the header has the key '{MetadataKey}' twice; the format forbids duplicate keys"
                            : "appears twice in the header; the format forbids duplicate keys, and which entry a reader keeps is undefined",
                        ReexportFix);
                }
                reader.Read();
                if (currentKey == MetadataKey)
                {
                    ReadMetadata(ref reader, metadata, errors);
                }
                else
                {
                    tensors.Add(ReadTensorEntry(ref reader, currentKey, dataLength, errors));
                }
                currentKey = null;
            }

            // A second top-level value (anything but the spaces that pad the header) is malformed JSON.
            if (reader.Read())
            {
                throw errors.Create(null, $"the header has {DescribeToken(reader.TokenType)} after its closing brace", ReexportFix);
            }
        }
        catch (JsonException ex)
        {
            var where = currentKey is null ? "" : $" (in the entry for '{currentKey}')";
            throw errors.Create(currentKey == MetadataKey ? null : currentKey,
                $"the header is not valid JSON{where}: {ex.Message.TrimEnd('.')}", ReexportFix, ex, subjectPrefix: false);
        }

        var inBufferOrder = CheckBufferCoverage(tensors, dataLength, errors);
        return new SafetensorsHeader(filePath, headerJson.Length, dataLength, metadata, inBufferOrder);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, ErrorFactory errors)
    {
        // The reference reader models __metadata__ as an optional map, so JSON null means "none".
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw errors.Create(null,
                $"'{MetadataKey}' is {DescribeToken(reader.TokenType)}, but the format allows only an object of string values",
                "Write the metadata as {\"key\": \"value\", ...} with string values only.");
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw errors.Create(null,
                    $"'{MetadataKey}' entry '{key}' is {DescribeToken(reader.TokenType)}, but the format allows only string values there",
                    "Store the value as a string (e.g. \"3\" or a JSON text), as safetensors.torch.save_file requires.");
            }
            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw errors.Create(null, $"'{MetadataKey}' has the key '{key}' twice; the format forbids duplicate keys", ReexportFix);
            }
        }
    }

    private static SafetensorsTensorInfo ReadTensorEntry(ref Utf8JsonReader reader, string name, long dataLength, ErrorFactory errors)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw errors.Create(name,
                $"is {DescribeToken(reader.TokenType)} in the header, but each tensor must be an object with \"dtype\", \"shape\" and \"data_offsets\"",
                ReexportFix);
        }

        string? dtypeName = null;
        List<long>? shape = null;
        List<long>? offsets = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "dtype":
                    if (dtypeName is not null)
                    {
                        throw errors.Create(name, "has \"dtype\" twice", ReexportFix);
                    }
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw errors.Create(name, $"has a \"dtype\" that is {DescribeToken(reader.TokenType)}, not a string such as \"F32\"", ReexportFix);
                    }
                    dtypeName = reader.GetString()!;
                    break;
                case "shape":
                    if (shape is not null)
                    {
                        throw errors.Create(name, "has \"shape\" twice", ReexportFix);
                    }
                    shape = ReadIntegerArray(ref reader, name, "shape", "dimension", errors);
                    break;
                case "data_offsets":
                    if (offsets is not null)
                    {
                        throw errors.Create(name, "has \"data_offsets\" twice", ReexportFix);
                    }
                    offsets = ReadIntegerArray(ref reader, name, "data_offsets", "offset", errors);
                    break;
                default:
                    // The reference reader ignores fields it does not know; so do we, to accept what it accepts.
                    reader.Skip();
                    break;
            }
        }

        if (dtypeName is null || shape is null || offsets is null)
        {
            var missing = new[] { ("dtype", dtypeName is null), ("shape", shape is null), ("data_offsets", offsets is null) }
                .Where(f => f.Item2).Select(f => "\"" + f.Item1 + "\"");
            throw errors.Create(name, $"lacks {string.Join(" and ", missing)}", ReexportFix);
        }
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
        {
            throw errors.Create(name,
                $"has dtype \"{dtypeName}\", which the safetensors format does not define (it defines {string.Join(", ", SafetensorsDTypes.SpecNames)})",
                "Dtype names are case-sensitive (\"F32\", not \"f32\"). " + ReexportFix);
        }
        if (offsets.Count != 2)
        {
            throw errors.Create(name,
                $"has data_offsets with {offsets.Count} numbers; it must be [begin, end]", ReexportFix);
        }
        var (begin, end) = (offsets[0], offsets[1]);
        var shapeText = SafetensorsTensorInfo.FormatShape(shape);
        if (end < begin)
        {
            throw errors.Create(name, $"has data_offsets [{begin}, {end}] whose end comes before its begin", ReexportFix);
        }

        long expectedBytes;
        try
        {
            long elements = 1;
            foreach (var dimension in shape)
            {
                elements = checked(elements * dimension);
            }
            var bits = checked(elements * dtype.BitSize());
            if (bits % 8 != 0)
            {
                throw errors.Create(name,
                    $"declares shape {shapeText} of {dtype.SpecName()}, which is {bits} bits: not a whole number of bytes",
                    ReexportFix);
            }
            expectedBytes = bits / 8;
        }
        catch (OverflowException)
        {
            throw errors.Create(name, $"declares shape {shapeText} of {dtype.SpecName()}, whose size overflows a 64-bit byte count", ReexportFix);
        }

        if (end - begin != expectedBytes)
        {
            throw errors.Create(name,
                $"declares shape {shapeText} of {dtype.SpecName()} = {expectedBytes} bytes but data_offsets span {end - begin} bytes",
                ReexportFix);
        }
        if (end > dataLength)
        {
            throw errors.Create(name,
                $"has data_offsets [{begin}, {end}] reaching past the end of the data buffer, which holds {dataLength} bytes; the file is truncated",
                ReexportFix);
        }
        return new SafetensorsTensorInfo(name, dtype, shape.ToArray(), begin, end);
    }

    private static List<long> ReadIntegerArray(ref Utf8JsonReader reader, string tensorName, string field, string what, ErrorFactory errors)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw errors.Create(tensorName, $"has a \"{field}\" that is {DescribeToken(reader.TokenType)}, not an array of integers", ReexportFix);
        }
        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw errors.Create(tensorName,
                    $"has {DescribeToken(reader.TokenType)} in \"{field}\"; every {what} must be a non-negative integer", ReexportFix);
            }
            if (!reader.TryGetInt64(out var value))
            {
                var text = Encoding.UTF8.GetString(reader.ValueSpan);
                throw errors.Create(tensorName,
                    $"has {text} in \"{field}\"; every {what} must be a non-negative integer below 2^63", ReexportFix);
            }
            if (value < 0)
            {
                throw errors.Create(tensorName,
                    $"has {value} in \"{field}\"; every {what} must be a non-negative integer", ReexportFix);
            }
            values.Add(value);
        }
        return values;
    }

    /// <summary>
    /// The format requires the data buffer to be fully indexed: tensors laid end to end from byte 0
    /// to the end of the file, none overlapping, no bytes left over.
    /// </summary>
    private static List<SafetensorsTensorInfo> CheckBufferCoverage(List<SafetensorsTensorInfo> tensors, long dataLength, ErrorFactory errors)
    {
        var ordered = tensors
            .OrderBy(t => t.DataBegin)
            .ThenBy(t => t.DataEnd)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        long covered = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var tensor in ordered)
        {
            if (tensor.DataBegin < covered)
            {
                throw errors.Create(tensor.Name,
                    $"has data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] overlapping tensor '{previous!.Name}' at [{previous.DataBegin}, {previous.DataEnd}]; " +
                    "the format forbids tensors sharing bytes",
                    ReexportFix);
            }
            if (tensor.DataBegin > covered)
            {
                var after = previous is null ? "at the start of the data buffer" : $"between tensor '{previous.Name}' and this one";
                throw errors.Create(tensor.Name,
                    $"starts at data offset {tensor.DataBegin}, leaving bytes [{covered}, {tensor.DataBegin}) {after} unused; " +
                    "the format requires the data buffer to be fully indexed, without gaps",
                    ReexportFix);
            }
            covered = tensor.DataEnd;
            previous = tensor;
        }

        if (covered != dataLength)
        {
            var after = previous is null ? "the header lists no tensors" : $"the last tensor, '{previous.Name}', ends at data offset {covered}";
            throw errors.Create(previous?.Name,
                $"the data buffer holds {dataLength} bytes but {after}, leaving {dataLength - covered} trailing bytes unused; " +
                "the format requires the data buffer to be fully indexed",
                ReexportFix, subjectPrefix: false);
        }
        return ordered;
    }

    private static int FirstInvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return -1;
    }

    private static string DescribeToken(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>Builds messages of the form "'file': tensor 'name' what. fix".</summary>
    internal sealed class ErrorFactory
    {
        private readonly string _filePath;

        public ErrorFactory(string filePath) => _filePath = filePath;

        public SafetensorsFormatException Create(
            string? tensorName, string what, string fix, Exception? inner = null, bool subjectPrefix = true)
        {
            var subject = tensorName is null || !subjectPrefix ? "" : $"tensor '{tensorName}' ";
            var message = $"'{Path.GetFileName(_filePath)}': {subject}{what}. {fix}";
            return new SafetensorsFormatException(_filePath, tensorName, message, inner);
        }
    }
}
