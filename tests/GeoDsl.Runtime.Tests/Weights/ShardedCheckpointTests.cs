using GeoDsl.Runtime.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Weights;

public sealed class ShardedCheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Shard1 = "model-00001-of-00002.safetensors";
    private const string Shard2 = "model-00002-of-00002.safetensors";

    /// <summary>Two shards as save_pretrained lays them out: the first holds the stem and block 0, the second block 1 and the head.</summary>
    private string WriteTwoShardCheckpoint(string? indexJson = null)
    {
        SafetensorsFile.Write(_dir.File(Shard1), new Dictionary<string, Tensor>
        {
            ["stem.weight"] = torch.full(new long[] { 2, 2 }, 1f),
            ["blocks.0.weight"] = torch.full(3, 2f),
        });
        SafetensorsFile.Write(_dir.File(Shard2), new Dictionary<string, Tensor>
        {
            ["blocks.1.weight"] = torch.full(3, 3f),
            ["head.weight"] = torch.full(1, 4f),
        });
        var indexPath = _dir.File(SafetensorsIndex.DefaultFileName);
        File.WriteAllText(indexPath, indexJson ?? $$"""
            {
              "metadata": {"total_size": 44},
              "weight_map": {
                "stem.weight": "{{Shard1}}",
                "blocks.0.weight": "{{Shard1}}",
                "blocks.1.weight": "{{Shard2}}",
                "head.weight": "{{Shard2}}"
              }
            }
            """);
        return indexPath;
    }

    [Fact]
    public void AnIndexWithTwoShardsReadsAsOneStateDict()
    {
        var indexPath = WriteTwoShardCheckpoint();

        var tensors = SafetensorsIndex.Read(indexPath).ReadTensors();

        Assert.Equal(new[] { "blocks.0.weight", "blocks.1.weight", "head.weight", "stem.weight" }, tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3f, tensors["blocks.1.weight"][0].item<float>());
        Assert.Equal(new long[] { 2, 2 }, tensors["stem.weight"].shape);
    }

    [Fact]
    public void TheIndexExposesItsShardsAndMetadata()
    {
        var index = SafetensorsIndex.Read(WriteTwoShardCheckpoint());

        Assert.Equal(new[] { Shard1, Shard2 }, index.ShardFiles);
        Assert.Equal("44", index.Metadata["total_size"]);
        Assert.Equal(Shard2, index.WeightMap["head.weight"]);
    }

    [Fact]
    public void ACheckpointFolderOrIndexPathReadsTheSameAsTheIndex()
    {
        var indexPath = WriteTwoShardCheckpoint();

        Assert.Equal(4, SafetensorsCheckpoint.Read(_dir.Path).Count);
        Assert.Equal(4, SafetensorsCheckpoint.Read(indexPath).Count);
        Assert.Equal(indexPath, SafetensorsCheckpoint.Resolve(_dir.Path));
    }

    [Fact]
    public void AMissingShardIsReportedByNameWithTheTensorsItShouldHold()
    {
        var indexPath = WriteTwoShardCheckpoint();
        File.Delete(_dir.File(Shard2));

        var error = Assert.Throws<SafetensorsIndexException>(() => SafetensorsIndex.Read(indexPath).ReadTensors());

        Assert.Equal(Shard2, error.ShardFile);
        Assert.Contains($"'{SafetensorsIndex.DefaultFileName}': shard '{Shard2}' is not in", error.Message);
        Assert.Contains("2 tensor(s) in it (e.g. 'blocks.1.weight')", error.Message);
        Assert.Contains("Download every shard", error.Message);
    }

    [Fact]
    public void ATensorTheMapPutsInAShardThatLacksItIsReportedWithWhereItIs()
    {
        var indexPath = WriteTwoShardCheckpoint($$"""
            {"weight_map": {
              "stem.weight": "{{Shard1}}", "blocks.0.weight": "{{Shard1}}",
              "blocks.1.weight": "{{Shard1}}", "head.weight": "{{Shard2}}" } }
            """);

        var error = Assert.Throws<SafetensorsIndexException>(() => SafetensorsIndex.Read(indexPath).ReadTensors());

        Assert.Equal("blocks.1.weight", error.TensorName);
        Assert.Contains($"puts tensor 'blocks.1.weight' in shard '{Shard1}', but that shard does not hold it (it is in '{Shard2}' instead)", error.Message);
    }

    [Fact]
    public void ATensorNoShardHoldsIsReported()
    {
        var indexPath = WriteTwoShardCheckpoint($$"""
            {"weight_map": {"stem.weight": "{{Shard1}}", "pos_embed": "{{Shard2}}" } }
            """);

        var error = Assert.Throws<SafetensorsIndexException>(() => SafetensorsIndex.Read(indexPath).ReadTensors());

        Assert.Equal("pos_embed", error.TensorName);
        Assert.Contains("no shard of this checkpoint holds it", error.Message);
    }

    [Fact]
    public void OnlyTheTensorsTheMapListsAreRead()
    {
        var indexPath = WriteTwoShardCheckpoint($$"""
            {"weight_map": {"stem.weight": "{{Shard1}}", "head.weight": "{{Shard2}}" } }
            """);

        Assert.Equal(new[] { "head.weight", "stem.weight" }, SafetensorsIndex.Read(indexPath).ReadTensors().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AShardPathLeavingTheIndexFolderIsRejected()
    {
        var indexPath = WriteTwoShardCheckpoint("""{"weight_map": {"stem.weight": "../elsewhere.safetensors"}}""");

        var error = Assert.Throws<SafetensorsIndexException>(() => SafetensorsIndex.Read(indexPath));

        Assert.Contains("'../elsewhere.safetensors', which is not a file inside the index's folder", error.Message);
    }

    [Fact]
    public void AnIndexWithoutAWeightMapIsRejected()
    {
        var indexPath = WriteTwoShardCheckpoint("""{"metadata": {}}""");

        var error = Assert.Throws<SafetensorsIndexException>(() => SafetensorsIndex.Read(indexPath));

        Assert.Contains("no \"weight_map\" object", error.Message);
    }

    [Fact]
    public void AnIndexThatIsNotJsonIsRejectedNamingTheIndex()
    {
        var indexPath = WriteTwoShardCheckpoint("""{"weight_map": {""");

        var error = Assert.Throws<SafetensorsIndexException>(() => SafetensorsIndex.Read(indexPath));

        Assert.StartsWith($"'{SafetensorsIndex.DefaultFileName}': the index is not valid JSON", error.Message);
    }

    [Fact]
    public void AMalformedShardIsRejectedNamingTheShard()
    {
        var indexPath = WriteTwoShardCheckpoint();
        File.WriteAllBytes(_dir.File(Shard2), HandBuilt.File(
            """{"blocks.1.weight":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"head.weight":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            HandBuilt.Zeros(12)));

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsIndex.Read(indexPath).ReadTensors());

        Assert.StartsWith($"'{Shard2}': tensor 'head.weight'", error.Message);
    }

    [Fact]
    public void AShardedCheckpointLoadsIntoAModuleFromItsFolder()
    {
        var model = nn.Sequential(("stem", nn.Linear(4, 3)), ("head", nn.Linear(3, 2)));
        var state = model.state_dict();
        SafetensorsFile.Write(_dir.File(Shard1), new Dictionary<string, Tensor> { ["stem.weight"] = torch.ones(3, 4), ["stem.bias"] = torch.ones(3) });
        SafetensorsFile.Write(_dir.File(Shard2), new Dictionary<string, Tensor> { ["head.weight"] = torch.ones(2, 3), ["head.bias"] = torch.ones(2) });
        File.WriteAllText(_dir.File(SafetensorsIndex.DefaultFileName), $$"""
            {"weight_map": {"stem.weight": "{{Shard1}}", "stem.bias": "{{Shard1}}", "head.weight": "{{Shard2}}", "head.bias": "{{Shard2}}" } }
            """);

        var report = model.LoadSafetensors(_dir.Path);

        Assert.Equal(4, report.Loaded.Count);
        Assert.True(report.IsComplete);
        Assert.Equal(SafetensorsIndex.DefaultFileName, report.Source);
        Assert.All(state.Values, t => Assert.True(t.eq(1f).all().item<bool>()));
    }
}
