using System.Text;
using GeoDsl.Runtime.Weights;

namespace GeoDsl.Runtime.Tests.Weights;

public sealed class SafetensorsHeaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SafetensorsFormatException Rejects(string headerJson, byte[] data, ulong? declaredLength = null)
    {
        var path = HandBuilt.Write(_dir, "w.safetensors", headerJson, data, declaredLength);
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsHeader.Read(path));
        Assert.StartsWith("'w.safetensors': ", error.Message);
        Assert.Equal(path, error.FilePath);
        return error;
    }

    private static void AssertNamesTensor(SafetensorsFormatException error, string tensor)
    {
        Assert.Equal(tensor, error.TensorName);
        Assert.Contains($"'{tensor}'", error.Message);
    }

    [Fact]
    public void AValidHeaderExposesMetadataAndTensorsInBufferOrder()
    {
        var path = HandBuilt.Write(_dir, "ok.safetensors",
            """{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[2],"data_offsets":[2,10]},"a":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]},"empty":{"dtype":"I64","shape":[0,4],"data_offsets":[10,10]},"scalar":{"dtype":"U8","shape":[],"data_offsets":[10,11]}}""",
            HandBuilt.Zeros(11));

        var header = SafetensorsHeader.Read(path);

        Assert.Equal("pt", header.Metadata["format"]);
        Assert.Equal(new[] { "a", "b", "empty", "scalar" }, header.Tensors.Select(t => t.Name));
        Assert.Equal(11, header.DataLength);
        Assert.Equal(0, header.HeaderLength % 8);
        Assert.True(header.TryGetTensor("empty", out var empty));
        Assert.Equal(new long[] { 0, 4 }, empty.Shape);
        Assert.Equal(1, header.Tensors.Single(t => t.Name == "scalar").ElementCount);
    }

    [Fact]
    public void AHeaderWithNoTensorsAndNoDataIsValid()
    {
        var header = SafetensorsHeader.Read(HandBuilt.Write(_dir, "none.safetensors", "{}", Array.Empty<byte>()));
        Assert.Empty(header.Tensors);
    }

    [Theory]
    [InlineData("BOOL", 1, 1)]
    [InlineData("U8", 3, 3)]
    [InlineData("I8", 3, 3)]
    [InlineData("I16", 3, 6)]
    [InlineData("U16", 3, 6)]
    [InlineData("F16", 3, 6)]
    [InlineData("BF16", 3, 6)]
    [InlineData("I32", 3, 12)]
    [InlineData("U32", 3, 12)]
    [InlineData("F32", 3, 12)]
    [InlineData("F64", 3, 24)]
    [InlineData("I64", 3, 24)]
    [InlineData("U64", 3, 24)]
    [InlineData("C64", 3, 24)]
    [InlineData("F8_E4M3", 3, 3)]
    [InlineData("F8_E5M2", 3, 3)]
    [InlineData("F8_E8M0", 3, 3)]
    [InlineData("F8_E4M3FNUZ", 3, 3)]
    [InlineData("F8_E5M2FNUZ", 3, 3)]
    [InlineData("F4", 4, 2)]
    [InlineData("F6_E2M3", 4, 3)]
    [InlineData("F6_E3M2", 4, 3)]
    public void EveryDtypeTheSpecDefinesIsAcceptedWithItsElementSize(string dtype, int elements, int bytes)
    {
        var path = HandBuilt.Write(_dir, "t.safetensors",
            "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + elements + "],\"data_offsets\":[0," + bytes + "]}}", HandBuilt.Zeros(bytes));
        Assert.Equal(bytes, SafetensorsHeader.Read(path).Tensors[0].ByteLength);
    }

    [Fact]
    public void UnknownFieldsInATensorEntryAreIgnoredLikeTheReferenceReaderDoes()
    {
        var path = HandBuilt.Write(_dir, "t.safetensors",
            """{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"note":{"nested":[1,2]}}}""", HandBuilt.Zeros(4));
        Assert.Single(SafetensorsHeader.Read(path).Tensors);
    }

    [Fact]
    public void AFileShorterThanTheLengthFieldIsRejected()
    {
        var path = _dir.File("w.safetensors");
        File.WriteAllBytes(path, new byte[] { 16, 0, 0, 0, 0 });
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsHeader.Read(path));
        Assert.Contains("'w.safetensors'", error.Message);
        Assert.Contains("5 bytes long", error.Message);
    }

    [Fact]
    public void AHeaderCutShortByTheEndOfTheFileIsRejected()
    {
        var full = HandBuilt.File("""{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", HandBuilt.Zeros(4));
        var path = _dir.File("w.safetensors");
        File.WriteAllBytes(path, full[..20]);
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsHeader.Read(path));
        Assert.Contains("'w.safetensors'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void AHeaderLengthPastTheEndOfTheFileIsRejected()
    {
        var error = Rejects("{}", Array.Empty<byte>(), declaredLength: 4096);
        Assert.Contains("declare a 4096-byte header but only 8 bytes follow", error.Message);
        Assert.Null(error.TensorName);
    }

    [Fact]
    public void AHeaderLengthAboveTheFormatsLimitIsRejectedWithoutReadingIt()
    {
        var error = Rejects("{}", Array.Empty<byte>(), declaredLength: ulong.MaxValue);
        Assert.Contains("above the format's limit of 100000000 bytes", error.Message);
    }

    [Fact]
    public void AHeaderThatIsNotJsonIsRejected()
    {
        var error = Rejects("""{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]""", HandBuilt.Zeros(4));
        Assert.Contains("not valid JSON", error.Message);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException, exactMatch: false);
    }

    [Fact]
    public void AHeaderThatIsAJsonArrayIsRejected()
    {
        var error = Rejects("[1, 2]", Array.Empty<byte>());
        Assert.Contains("must be a JSON object", error.Message);
    }

    [Fact]
    public void AHeaderWithTrailingContentAfterTheObjectIsRejected()
    {
        var error = Rejects("""{} {}""", Array.Empty<byte>());
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void AHeaderThatIsNotUtf8IsRejected()
    {
        var header = Encoding.UTF8.GetBytes("{\"t\":{}}").ToList();
        header[2] = 0xFF;
        var length = BitConverter.GetBytes((ulong)header.Count);
        var path = _dir.File("w.safetensors");
        File.WriteAllBytes(path, length.Concat(header).ToArray());
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsHeader.Read(path));
        Assert.Contains("not valid UTF-8 (byte 2", error.Message);
    }

    [Fact]
    public void AnUnknownDtypeIsRejectedNamingTheTensorAndTheValidNames()
    {
        var error = Rejects("""{"blocks.0.norm.weight":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}""", HandBuilt.Zeros(4));
        AssertNamesTensor(error, "blocks.0.norm.weight");
        Assert.Contains("dtype \"f32\"", error.Message);
        Assert.Contains("BF16", error.Message);
    }

    [Fact]
    public void AByteLengthThatDisagreesWithShapeAndDtypeIsRejectedWithBothSizes()
    {
        var error = Rejects("""{"blocks.0.attn.qkv.weight":{"dtype":"F32","shape":[3072,1024],"data_offsets":[0,100]}}""", HandBuilt.Zeros(100));
        Assert.Equal(
            "'w.safetensors': tensor 'blocks.0.attn.qkv.weight' declares shape [3072, 1024] of F32 = 12582912 bytes but data_offsets span 100 bytes. " +
            SafetensorsHeaderFix,
            error.Message);
        AssertNamesTensor(error, "blocks.0.attn.qkv.weight");
    }

    private const string SafetensorsHeaderFix =
        "The file is damaged or was written by a tool that does not follow the safetensors format; " +
        "copy it again, or re-save the weights with safetensors.torch.save_file.";

    [Fact]
    public void OverlappingByteRangesAreRejectedNamingBothTensors()
    {
        var error = Rejects(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            HandBuilt.Zeros(12));
        AssertNamesTensor(error, "b");
        Assert.Contains("overlapping tensor 'a' at [0, 8]", error.Message);
    }

    [Fact]
    public void IdenticalByteRangesForTwoTensorsAreRejectedAsOverlap()
    {
        // TorchSharp.PyBridge accepts this and hands out two tensors with the same bytes.
        var error = Rejects(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
            HandBuilt.Zeros(8));
        Assert.Contains("overlapping", error.Message);
    }

    [Fact]
    public void AGapBetweenTensorsIsRejectedNamingTheNeighbours()
    {
        var error = Rejects(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            HandBuilt.Zeros(12));
        AssertNamesTensor(error, "b");
        Assert.Contains("leaving bytes [4, 8) between tensor 'a' and this one unused", error.Message);
        Assert.Contains("fully indexed", error.Message);
    }

    [Fact]
    public void AGapAtTheStartOfTheBufferIsRejected()
    {
        var error = Rejects("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", HandBuilt.Zeros(8));
        AssertNamesTensor(error, "a");
        Assert.Contains("at the start of the data buffer", error.Message);
    }

    [Fact]
    public void TrailingBytesNoTensorClaimsAreRejected()
    {
        var error = Rejects("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", HandBuilt.Zeros(6));
        Assert.Equal("a", error.TensorName);
        Assert.Contains("the last tensor, 'a', ends at data offset 4, leaving 2 trailing bytes unused", error.Message);
    }

    [Fact]
    public void AnOffsetPastTheEndOfTheBufferIsRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", HandBuilt.Zeros(8));
        AssertNamesTensor(error, "w");
        Assert.Contains("[0, 16] reaching past the end of the data buffer, which holds 8 bytes", error.Message);
    }

    [Fact]
    public void ADuplicateTensorKeyIsRejected()
    {
        var error = Rejects(
            """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            HandBuilt.Zeros(8));
        AssertNamesTensor(error, "w");
        Assert.Contains("appears twice", error.Message);
    }

    [Fact]
    public void ADuplicateKeyWrittenWithAnEscapeIsStillADuplicate()
    {
        var error = Rejects(
            """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\u0077":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            HandBuilt.Zeros(8));
        AssertNamesTensor(error, "w");
    }

    [Fact]
    public void MetadataWithANonStringValueIsRejected()
    {
        var error = Rejects("""{"__metadata__":{"format":"pt","epochs":3},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", HandBuilt.Zeros(4));
        Assert.Contains("'__metadata__' entry 'epochs' is a number", error.Message);
        Assert.Contains("string", error.Message);
    }

    [Fact]
    public void MetadataThatIsNotAnObjectIsRejected()
    {
        var error = Rejects("""{"__metadata__":["pt"]}""", Array.Empty<byte>());
        Assert.Contains("'__metadata__' is an array", error.Message);
    }

    [Fact]
    public void ANegativeDimensionIsRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", HandBuilt.Zeros(4));
        AssertNamesTensor(error, "w");
        Assert.Contains("has -1 in \"shape\"", error.Message);
    }

    [Fact]
    public void AFractionalDimensionIsRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", HandBuilt.Zeros(4));
        Assert.Contains("has 1.5 in \"shape\"", error.Message);
    }

    [Fact]
    public void DataOffsetsThatRunBackwardsAreRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", HandBuilt.Zeros(4));
        AssertNamesTensor(error, "w");
        Assert.Contains("end comes before its begin", error.Message);
    }

    [Fact]
    public void DataOffsetsWithoutExactlyTwoNumbersAreRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}""", HandBuilt.Zeros(4));
        Assert.Contains("data_offsets with 3 numbers", error.Message);
    }

    [Fact]
    public void ATensorEntryWithoutAShapeIsRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F32","data_offsets":[0,4]}}""", HandBuilt.Zeros(4));
        AssertNamesTensor(error, "w");
        Assert.Contains("lacks \"shape\"", error.Message);
    }

    [Fact]
    public void ATensorEntryThatIsNotAnObjectIsRejected()
    {
        var error = Rejects("""{"w":"F32"}""", Array.Empty<byte>());
        AssertNamesTensor(error, "w");
    }

    [Fact]
    public void APackedFourBitTensorThatEndsMidByteIsRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}""", HandBuilt.Zeros(2));
        Assert.Contains("12 bits: not a whole number of bytes", error.Message);
    }

    [Fact]
    public void AShapeWhoseByteCountOverflowsIsRejected()
    {
        var error = Rejects("""{"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", HandBuilt.Zeros(8));
        Assert.Contains("overflows", error.Message);
    }
}
