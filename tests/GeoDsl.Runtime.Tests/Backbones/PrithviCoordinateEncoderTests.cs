using GeoDsl.Runtime.Backbones;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones;

/// <summary>
/// Temporal and location encoders of the TL variants (prithvi_mae.py TemporalEncoder/LocationEncoder): 1D sin-cos of
/// year | day-of-year and latitude | longitude, D/2 channels each, times a scale, added to patch tokens only.
/// When the model has an encoder but the input lacks its coordinates, TerraTorch skips that encoding
/// (<c>if self.temporal_encoding and temporal_coords is not None</c>); so does this one.
/// </summary>
public sealed class PrithviCoordinateEncoderTests
{
    // Fresh tensors per use: a static tensor would belong to whichever test's dispose scope first touched it.
    private static Tensor Time => torch.tensor(new float[] { 2020, 100, 2020, 116, 2021, 5, 2021, 21 }, new long[] { 2, 2, 2 });

    private static Tensor Location => torch.tensor(new float[] { 47.5f, 8.2f, -12f, 130f }, new long[] { 2, 2 });

    private static Tensor Pixels() => PrithviTestModels.Pixels(2, 3, 2, 8, 8, seed: 9);

    private static Tensor Last(PrithviViT model, Tensor? time, Tensor? location) =>
        model.call(new BackboneInput(Pixels(), time, location))[^1];

    [Fact]
    public void ChangingTheDateChangesTheOutput()
    {
        using var model = new PrithviViT(PrithviTestModels.TinyTl());
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var later = Time.clone();
        later[0, 1, 1] = torch.tensor(200f);
        Assert.True(PrithviTestModels.MaxAbsDifference(Last(model, Time, Location), Last(model, later, Location)) > 1e-4f);
    }

    [Fact]
    public void ChangingTheLocationChangesTheOutput()
    {
        using var model = new PrithviViT(PrithviTestModels.TinyTl());
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var elsewhere = Location.clone();
        elsewhere[1, 0] = torch.tensor(60f);
        Assert.True(PrithviTestModels.MaxAbsDifference(Last(model, Time, Location), Last(model, Time, elsewhere)) > 1e-4f);
    }

    [Fact]
    public void MissingCoordinatesSkipTheirEncodingLikeTerraTorch()
    {
        using var model = new PrithviViT(PrithviTestModels.TinyTl());
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var without = Last(model, null, null);

        // Zero scales make the encodings vanish: that is what "skipped" must equal.
        model.state_dict()["temporal_embed_enc.scale"].zero_();
        model.state_dict()["location_embed_enc.scale"].zero_();
        Assert.True(PrithviTestModels.MaxAbsDifference(without, Last(model, Time, Location)) < 1e-6f);
    }

    [Fact]
    public void AModelWithoutEncodersIgnoresCoordinates()
    {
        using var model = new PrithviViT(PrithviTestModels.Tiny());
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Assert.False(model.HasTemporalEncoder);
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(Last(model, null, null), Last(model, Time, Location)));
    }

    [Fact]
    public void TheTemporalEncodingIsTheScaledSinCosOfYearAndDay()
    {
        using var encoder = new PrithviTemporalEncoder(32, trainableScale: true);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var time = Time;
        var encoded = encoder.Encode(time, tokensPerFrame: 3); // [2, 2·3, 32]
        Assert.Equal(new long[] { 2, 6, 32 }, encoded.shape);
        for (var token = 0; token < 6; token++)
        {
            var frame = token / 3;
            for (var c = 0; c < 32; c++)
            {
                var value = c < 16 ? time[1, frame, 0].item<float>() : time[1, frame, 1].item<float>();
                var expected = 0.1 * SinCos(16, value, c % 16);
                Assert.True(Math.Abs(expected - encoded[1, token, c].item<float>()) < 1e-4, $"token {token} channel {c}");
            }
        }
    }

    [Fact]
    public void TheLocationEncodingIsTheScaledSinCosOfLatitudeAndLongitude()
    {
        using var encoder = new PrithviLocationEncoder(32, trainableScale: false);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var encoded = encoder.Encode(Location); // [2, 1, 32]
        Assert.Equal(new long[] { 2, 1, 32 }, encoded.shape);
        for (var c = 0; c < 32; c++)
        {
            var value = c < 16 ? -12.0 : 130.0;
            Assert.True(Math.Abs(SinCos(16, value, c % 16) - encoded[1, 0, c].item<float>()) < 1e-4, $"channel {c}");
        }
    }

    [Fact]
    public void CoordinateEncodingsLeaveTheClassTokenInputAlone()
    {
        // With one block and zero attention/MLP weights each block is the identity, so the output before the final
        // norm is the block input: the cls row must not depend on the coordinates.
        using var model = new PrithviViT(PrithviTestModels.TinyTl(depth: 2) with { OutIndices = new[] { 0 } });
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.Contains(".attn.proj.") || name.Contains(".mlp.fc2."))
            {
                tensor.zero_();
            }
        }

        var a = Last(model, Time, Location);
        var elsewhere = Location + 10f;
        var b = Last(model, Time, elsewhere);
        Assert.Equal(0f, PrithviTestModels.MaxAbsDifference(a[.., 0], b[.., 0]));
        Assert.True(PrithviTestModels.MaxAbsDifference(a[.., 1..], b[.., 1..]) > 1e-4f);
    }

    /// <summary>Channel k of a d-wide 1D sin-cos embedding of one value, from the formula.</summary>
    private static double SinCos(int dim, double value, int channel)
    {
        var half = dim / 2;
        var k = channel % half;
        var angle = value * Math.Exp(-Math.Log(10000.0) * k / half);
        return channel < half ? Math.Sin(angle) : Math.Cos(angle);
    }
}
