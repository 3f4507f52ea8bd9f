using GeoDsl.Runtime.Backbones.Clay;
using GeoDsl.Runtime.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Tests.Backbones.Clay;

/// <summary>
/// Clay's metadata: time [B, 4] (ISO week and hour as sin/cos) and lat/lon [B, 4] (sin/cos of radians) fill the last 8
/// channels of each patch token, the GSD scales the position encoding. They come from <see cref="ClayMetadata"/>, or
/// from the input's temporal and location coordinates, or are zeros (Clay's "unknown").
/// </summary>
public sealed class ClayMetadataTests
{
    [Fact]
    public void TimeIsTheIsoWeekAndTheHourAsSineAndCosine()
    {
        // 9 April 2024 is in ISO week 15; 14:00.
        var time = ClayMetadata.EncodeTime(new[] { new DateTime(2024, 4, 9, 14, 0, 0, DateTimeKind.Utc) });
        double week = 15 * 2 * Math.PI / 52;
        double hour = 14 * 2 * Math.PI / 24;

        Assert.Equal(new long[] { 1, 4 }, time.shape);
        Assert.Equal(new[] { (float)Math.Sin(week), (float)Math.Cos(week), (float)Math.Sin(hour), (float)Math.Cos(hour) }, time.data<float>().ToArray());
    }

    [Fact]
    public void LatitudeAndLongitudeAreEncodedAsSineAndCosineOfRadians()
    {
        var latLon = ClayMetadata.EncodeLatLon(new[] { (30.0, -90.0) });

        Assert.Equal(new[] { 0.5f, (float)Math.Cos(Math.PI / 6), -1f, (float)Math.Cos(-Math.PI / 2) }, latLon.data<float>().ToArray());
    }

    [Fact]
    public void DayOfYearCoordinatesGiveTheSameEncodingAsTheDateTheyName()
    {
        // Day 100.5 of 2024 (a leap year) is 9 April, 12:00.
        var fromCoordinates = ClayMetadata.TimeFromCoordinates(torch.tensor(new float[] { 2024, 100.5f }, new long[] { 1, 1, 2 }));
        var fromDate = ClayMetadata.EncodeTime(new[] { new DateTime(2024, 4, 9, 12, 0, 0, DateTimeKind.Utc) });

        Assert.Equal(fromDate.data<float>().ToArray(), fromCoordinates.data<float>().ToArray());
    }

    [Fact]
    public void TheEncoderUsesTheInputsCoordinatesAsIfTheyWereGivenEncoded()
    {
        torch.manual_seed(5);
        using var model = new ClayEncoder(ClayTestModels.Tiny());
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = ClayTestModels.Pixels(2, 3, 32, 32);
        var time = torch.tensor(new float[] { 2021, 15, 2022, 200.25f }, new long[] { 2, 1, 2 });
        var location = torch.tensor(new float[] { 47.4f, 8.5f, -33.9f, 151.2f }, new long[] { 2, 2 });

        var fromCoordinates = model.call(new BackboneInput(pixels, time, location))[0];
        var encoded = new ClayMetadata(ClayMetadata.TimeFromCoordinates(time), ClayMetadata.LatLonFromCoordinates(location));
        var fromMetadata = model.Encode(new BackboneInput(pixels), encoded)[0];

        Assert.Equal(0f, ClayTestModels.MaxAbsDifference(fromCoordinates, fromMetadata));
    }

    [Fact]
    public void WithoutMetadataTheEncoderUsesZerosAndMetadataChangesTheTokens()
    {
        torch.manual_seed(6);
        using var model = new ClayEncoder(ClayTestModels.Tiny());
        model.eval();
        using var noGrad = torch.no_grad();
        var pixels = ClayTestModels.Pixels(1, 3, 32, 32);

        var none = model.Encode(pixels)[0];
        var zeros = model.Encode(new BackboneInput(pixels), new ClayMetadata(torch.zeros(1, 4), torch.zeros(1, 4)))[0];
        var located = model.Encode(new BackboneInput(pixels), new ClayMetadata(latLon: ClayMetadata.EncodeLatLon(new[] { (10.0, 20.0) })))[0];

        Assert.Equal(0f, ClayTestModels.MaxAbsDifference(none, zeros));
        Assert.True(ClayTestModels.MaxAbsDifference(none, located) > 1e-4f);
    }

    [Fact]
    public void APerBatchGsdReplacesTheEncodersOwn()
    {
        torch.manual_seed(7);
        using var tenMetres = new ClayEncoder(ClayTestModels.Tiny());
        using var thirtyMetres = new ClayEncoder(ClayTestModels.Tiny() with { Gsd = 30 });
        thirtyMetres.load_state_dict(tenMetres.state_dict());
        tenMetres.eval();
        thirtyMetres.eval();
        using var noGrad = torch.no_grad();
        var pixels = ClayTestModels.Pixels(1, 3, 32, 32);

        var overridden = tenMetres.Encode(new BackboneInput(pixels), new ClayMetadata(gsd: 30))[0];

        Assert.Equal(0f, ClayTestModels.MaxAbsDifference(overridden, thirtyMetres.Encode(pixels)[0]));
        Assert.True(ClayTestModels.MaxAbsDifference(overridden, tenMetres.Encode(pixels)[0]) > 1e-4f);
    }

    [Fact]
    public void ThePositionEncodingFollowsClaysGsdScaledFormula()
    {
        // dim 16: quarter 4, ω_k = gsd / 10000^(2·(k/3)/16); channels [sin x·ω, cos x·ω, sin y·ω, cos y·ω], tokens row-major.
        var encoding = ClayEncoder.PositionEncoding(rows: 2, columns: 3, dim: 16, gsd: 10);
        Assert.Equal(new long[] { 6, 16 }, encoding.shape);

        const int row = 1, column = 2, token = (row * 3) + column;
        for (var k = 0; k < 4; k++)
        {
            double omega = 10 / Math.Pow(10000, 2 * (k / 3.0) / 16);
            Assert.Equal(Math.Sin(column * omega), encoding[token, k].item<float>(), 4);
            Assert.Equal(Math.Cos(column * omega), encoding[token, 4 + k].item<float>(), 4);
            Assert.Equal(Math.Sin(row * omega), encoding[token, 8 + k].item<float>(), 4);
            Assert.Equal(Math.Cos(row * omega), encoding[token, 12 + k].item<float>(), 4);
        }
    }

    [Fact]
    public void MoreThanOneAcquisitionTimePerSampleIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ClayMetadata.TimeFromCoordinates(torch.zeros(2, 3, 2)));

        Assert.Contains("one acquisition time per sample", error.Message);
    }
}
