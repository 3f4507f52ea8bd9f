using System.Buffers.Binary;
using System.Text;
using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Weights;

public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AHandBuiltFileOfLittleEndianFloatsLoadsToTheExpectedValuesAndShape()
    {
        // What Python's safetensors.torch.save_file writes for {"weight": torch.tensor([[1.5, -2, 0], [3.25, 1e-3, -7]])}.
        var path = HandBuilt.Write(_dir, "py.safetensors",
            """{"__metadata__":{"format":"pt"},"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""",
            HandBuilt.Floats(1.5f, -2f, 0f, 3.25f, 1e-3f, -7f));

        var tensors = SafetensorsFile.Read(path);

        var weight = Assert.Single(tensors).Value;
        Assert.Equal(ScalarType.Float32, weight.dtype);
        Assert.Equal(new long[] { 2, 3 }, weight.shape);
        Assert.Equal(new[] { 1.5f, -2f, 0f, 3.25f, 1e-3f, -7f }, weight.data<float>().ToArray());
        Assert.Equal(-7f, weight[1, 2].item<float>());
    }

    [Fact]
    public void HandBuiltBFloat16AndFloat16BitsLoadToTheirExactValues()
    {
        // bf16 is the top half of an IEEE float32; f16 is IEEE half precision. Bit patterns written out by hand.
        var bf16 = HandBuilt.UInt16s(0x3F80, 0xC020, 0x3E20, 0x4049);   // 1, -2.5, 0.15625, 3.140625
        var f16 = HandBuilt.UInt16s(0x3C00, 0xC000, 0x3800, 0x7BFF);    // 1, -2, 0.5, 65504
        var path = HandBuilt.Write(_dir, "half.safetensors",
            """{"h":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,8]},"f":{"dtype":"F16","shape":[4],"data_offsets":[8,16]}}""",
            bf16.Concat(f16).ToArray());

        var tensors = SafetensorsFile.Read(path);

        Assert.Equal(ScalarType.BFloat16, tensors["h"].dtype);
        Assert.Equal(new long[] { 2, 2 }, tensors["h"].shape);
        Assert.Equal(new[] { 1f, -2.5f, 0.15625f, 3.140625f }, tensors["h"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(ScalarType.Float16, tensors["f"].dtype);
        Assert.Equal(new[] { 1f, -2f, 0.5f, 65504f }, tensors["f"].to(ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void WritingProducesTheReferenceLayoutByteForByte()
    {
        var path = _dir.File("attn.safetensors");
        var values = new[] { 0f, 1f, 2f, 3f, 4f, 5f };
        SafetensorsFile.Write(path,
            new Dictionary<string, Tensor> { ["attn.0"] = torch.tensor(values).reshape(1, 2, 3) },
            new Dictionary<string, string> { ["format"] = "pt" });

        // Compact JSON, __metadata__ first, padded with spaces to a multiple of 8, then the raw floats.
        var expected = HandBuilt.File(
            """{"__metadata__":{"format":"pt"},"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""",
            HandBuilt.Floats(values));
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void TheHeaderIsPaddedWithSpacesSoTheDataStartsOnAnEightByteBoundary()
    {
        var path = _dir.File("pad.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["abc"] = torch.ones(3) });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.EndsWith("}", header.TrimEnd(' '));
        Assert.All(header[(header.LastIndexOf('}') + 1)..], c => Assert.Equal(' ', c));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Int8)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Bool)]
    [InlineData(ScalarType.ComplexFloat32)]
    public void ATensorRoundTripsBitForBit(ScalarType dtype)
    {
        torch.manual_seed(7);
        var original = dtype switch
        {
            ScalarType.Bool => torch.rand(3, 5) > 0.5,
            ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 =>
                torch.randint(-100, 100, new long[] { 3, 5 }).abs().to(dtype),
            ScalarType.ComplexFloat32 => torch.complex(torch.randn(3, 5), torch.randn(3, 5)),
            _ => (torch.randn(3, 5) * 1000).to(dtype),
        };
        var path = _dir.File($"{dtype}.safetensors");

        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["t"] = original });
        var loaded = SafetensorsFile.Read(path)["t"];

        Assert.Equal(dtype, loaded.dtype);
        TensorAssert.Identical(original, loaded);
    }

    [Fact]
    public void ScalarsAndEmptyTensorsRoundTrip()
    {
        var path = _dir.File("odd.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor>
        {
            ["scalar"] = torch.tensor(42L),
            ["empty"] = torch.zeros(0, 4),
        });

        var loaded = SafetensorsFile.Read(path);

        Assert.Empty(loaded["scalar"].shape);
        Assert.Equal(42L, loaded["scalar"].item<long>());
        Assert.Equal(new long[] { 0, 4 }, loaded["empty"].shape);
    }

    [Fact]
    public void TensorsAreWrittenWidestDtypeFirstThenByNameSoEachIsAligned()
    {
        var path = _dir.File("mixed.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor>
        {
            ["z_f32"] = torch.ones(3),
            ["a_bf16"] = torch.ones(3, dtype: ScalarType.BFloat16),
            ["b_bool"] = torch.ones(3, dtype: ScalarType.Bool),
            ["m_i64"] = torch.ones(1, dtype: ScalarType.Int64),
            ["c_f64"] = torch.ones(1, dtype: ScalarType.Float64),
            ["a_f32"] = torch.ones(1),
        });

        var header = SafetensorsHeader.Read(path);

        Assert.Equal(new[] { "m_i64", "c_f64", "a_f32", "z_f32", "a_bf16", "b_bool" }, header.Tensors.Select(t => t.Name));
        Assert.All(header.Tensors, t => Assert.Equal(0, t.DataBegin % Math.Max(1, t.DType.BitSize() / 8)));
    }

    [Fact]
    public void NonContiguousTensorsAreWrittenInTheirLogicalOrder()
    {
        var transposed = torch.arange(6, dtype: ScalarType.Float32).view(2, 3).t();
        Assert.False(transposed.is_contiguous());
        var path = _dir.File("t.safetensors");

        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["t"] = transposed });
        var loaded = SafetensorsFile.Read(path)["t"];

        Assert.Equal(new long[] { 3, 2 }, loaded.shape);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, loaded.data<float>().ToArray());
    }

    [Fact]
    public void TensorsLargerThanOneReadChunkLoadIntact()
    {
        var big = torch.arange(5_000_000, dtype: ScalarType.Float32).reshape(1000, 5000);   // 20 MB, over the 16 MiB chunk
        var path = _dir.File("big.safetensors");

        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["big"] = big, ["after"] = torch.full(3, 9f) });
        var loaded = SafetensorsFile.Read(path);

        TensorAssert.Identical(big, loaded["big"]);
        Assert.Equal(new[] { 9f, 9f, 9f }, loaded["after"].data<float>().ToArray());
    }

    [Fact]
    public void MetadataIsWrittenAndReadBack()
    {
        var path = _dir.File("meta.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["w"] = torch.ones(1) },
            new Dictionary<string, string> { ["format"] = "pt", ["note"] = "quote \" backslash \\ tab \t ünïcödé" });

        var header = SafetensorsHeader.Read(path);

        Assert.Equal("pt", header.Metadata["format"]);
        Assert.Equal("quote \" backslash \\ tab \t ünïcödé", header.Metadata["note"]);
    }

    [Fact]
    public void WritingOverAnExistingFileReplacesItAndLeavesNoTemporaryFiles()
    {
        var path = _dir.File("w.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["old"] = torch.ones(2) });
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["new"] = torch.zeros(3) });

        Assert.Equal(new[] { "new" }, SafetensorsFile.Read(path).Keys);
        Assert.Equal(new[] { "w.safetensors" }, Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ATensorWithoutASafetensorsDtypeIsRefusedBeforeTheFileIsTouched()
    {
        var path = _dir.File("w.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["old"] = torch.ones(2) });

        var error = Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(path,
            new Dictionary<string, Tensor> { ["spectrum"] = torch.zeros(2, dtype: ScalarType.ComplexFloat64) }));

        Assert.Contains("'w.safetensors'", error.Message);
        Assert.Contains("'spectrum'", error.Message);
        Assert.Equal(new[] { "old" }, SafetensorsFile.Read(path).Keys);
    }

    [Fact]
    public void TheReservedMetadataKeyCannotNameATensor()
    {
        var error = Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(_dir.File("w.safetensors"),
            new Dictionary<string, Tensor> { ["__metadata__"] = torch.ones(1) }));
        Assert.Contains("reserved", error.Message);
    }

    [Fact]
    public void ADtypeTorchSharpCannotHoldIsRefusedNamingTheFileAndTensor()
    {
        var path = HandBuilt.Write(_dir, "u16.safetensors",
            """{"counts":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}}""", HandBuilt.Zeros(4));

        var error = Assert.Throws<NotSupportedException>(() => SafetensorsFile.Read(path));

        Assert.Contains("'u16.safetensors': tensor 'counts' is U16 [2]", error.Message);
        Assert.Contains("include filter", error.Message);
    }

    [Fact]
    public void TheIncludeFilterReadsOnlyTheChosenTensors()
    {
        var path = _dir.File("w.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["keep"] = torch.ones(2), ["skip"] = torch.zeros(2) });

        Assert.Equal(new[] { "keep" }, SafetensorsFile.Read(path, name => name == "keep").Keys);
    }

    [Fact]
    public void AMalformedFileIsRejectedBeforeAnyTensorIsRead()
    {
        var path = HandBuilt.Write(_dir, "overlap.safetensors",
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            HandBuilt.Zeros(8));

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Read(path));
        Assert.Equal("b", error.TensorName);
    }

    [Fact]
    public void FilesWeWriteLoadInTorchSharpPyBridgeToo()
    {
        // An independent reader: guards against a layout only our own reader understands.
        var path = _dir.File("interop.safetensors");
        var weight = torch.randn(4, 3);
        var half = torch.randn(5).to(ScalarType.BFloat16);
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["weight"] = weight, ["half"] = half },
            new Dictionary<string, string> { ["format"] = "pt" });

        var loaded = TorchSharp.PyBridge.Safetensors.LoadStateDict(path);

        TensorAssert.Identical(weight, loaded["weight"]);
        TensorAssert.Identical(half, loaded["half"]);
    }
}
