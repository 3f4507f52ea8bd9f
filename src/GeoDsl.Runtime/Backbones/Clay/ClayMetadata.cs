using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace GeoDsl.Runtime.Backbones.Clay;

/// <summary>
/// Clay's per-sample metadata, encoded as Clay's data pipeline encodes it (Clay's chipper and tutorials,
/// <c>normalize_timestamp</c> and <c>normalize_latlon</c>): <c>time</c> [B, 4] = sin/cos of the ISO week (× 2π/52) and
/// of the hour (× 2π/24); <c>latlon</c> [B, 4] = sin/cos of latitude and of longitude in radians. Both fill the last 8
/// channels of every patch token. Zeros mean "unknown": Clay zeroed both for a fifth of its training chips, and
/// TerraTorch passes zeros for plain tensors.
/// </summary>
/// <remarks>
/// <see cref="Features.BackboneInput"/> has no slot for these encodings, so they travel here, passed to
/// <see cref="ClayEncoder.Encode"/>. Without them the encoder derives both from the input's
/// <c>TemporalCoords</c> (year, day of year; a fractional day gives the hour) and <c>LocationCoords</c> (degrees).
/// </remarks>
public sealed class ClayMetadata
{
    /// <param name="time">[B, 4] encoded week and hour, or null to derive them (or use zeros).</param>
    /// <param name="latLon">[B, 4] encoded latitude and longitude, or null to derive them (or use zeros).</param>
    /// <param name="gsd">Ground sample distance in metres for this batch, or null for the encoder's own.</param>
    public ClayMetadata(Tensor? time = null, Tensor? latLon = null, double? gsd = null)
    {
        Time = time;
        LatLon = latLon;
        Gsd = gsd;
    }

    public Tensor? Time { get; }

    public Tensor? LatLon { get; }

    public double? Gsd { get; }

    /// <summary>[B, 4] float32: sin and cos of ISO week·2π/52, then of hour·2π/24, for each acquisition time.</summary>
    public static Tensor EncodeTime(IReadOnlyList<DateTime> acquired)
    {
        ArgumentNullException.ThrowIfNull(acquired);
        var values = new float[acquired.Count * 4];
        for (var i = 0; i < acquired.Count; i++)
        {
            var week = ISOWeek.GetWeekOfYear(acquired[i]) * 2 * Math.PI / 52;
            var hour = acquired[i].Hour * 2 * Math.PI / 24;
            values[(4 * i) + 0] = (float)Math.Sin(week);
            values[(4 * i) + 1] = (float)Math.Cos(week);
            values[(4 * i) + 2] = (float)Math.Sin(hour);
            values[(4 * i) + 3] = (float)Math.Cos(hour);
        }

        return torch.tensor(values, new long[] { acquired.Count, 4 });
    }

    /// <summary>[B, 4] float32: sin and cos of latitude, then of longitude (degrees in, radians encoded).</summary>
    public static Tensor EncodeLatLon(IReadOnlyList<(double Latitude, double Longitude)> locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var values = new float[locations.Count * 4];
        for (var i = 0; i < locations.Count; i++)
        {
            var lat = locations[i].Latitude * Math.PI / 180;
            var lon = locations[i].Longitude * Math.PI / 180;
            values[(4 * i) + 0] = (float)Math.Sin(lat);
            values[(4 * i) + 1] = (float)Math.Cos(lat);
            values[(4 * i) + 2] = (float)Math.Sin(lon);
            values[(4 * i) + 3] = (float)Math.Cos(lon);
        }

        return torch.tensor(values, new long[] { locations.Count, 4 });
    }

    /// <summary>
    /// Clay's time encoding from GeoDsl's temporal coordinates, [B, 1, 2] or [B, 2] (year, day of year): day 1 is
    /// 1 January, and the fraction of a day gives the hour (day 100.5 is noon).
    /// </summary>
    public static Tensor TimeFromCoordinates(Tensor temporalCoords)
    {
        ArgumentNullException.ThrowIfNull(temporalCoords);
        var shape = temporalCoords.shape;
        var ok = (shape.Length == 3 && shape[1] == 1 && shape[2] == 2) || (shape.Length == 2 && shape[1] == 2);
        if (!ok)
        {
            throw new ArgumentException(
                $"Clay takes one acquisition time per sample: temporal coordinates [B, 1, 2] or [B, 2] (year, day of year); got [{string.Join(", ", shape)}].",
                nameof(temporalCoords));
        }

        using var values = temporalCoords.reshape(-1, 2).to(ScalarType.Float64).cpu();
        var flat = values.data<double>().ToArray();
        var dates = new DateTime[flat.Length / 2];
        for (var i = 0; i < dates.Length; i++)
        {
            var year = (int)flat[2 * i];
            var dayOfYear = flat[(2 * i) + 1];
            if (year < 1 || year > 9999 || dayOfYear < 1 || dayOfYear >= 367)
            {
                throw new ArgumentException($"Sample {i} has temporal coordinates ({flat[2 * i]}, {dayOfYear}); expected a year and a day of year from 1 to 366.", nameof(temporalCoords));
            }

            dates[i] = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(dayOfYear - 1);
        }

        return EncodeTime(dates);
    }

    /// <summary>Clay's lat/lon encoding from GeoDsl's location coordinates [B, 2] (latitude, longitude in degrees).</summary>
    public static Tensor LatLonFromCoordinates(Tensor locationCoords)
    {
        ArgumentNullException.ThrowIfNull(locationCoords);
        var shape = locationCoords.shape;
        if (shape.Length != 2 || shape[1] != 2)
        {
            throw new ArgumentException($"Clay takes location coordinates [B, 2] (latitude, longitude in degrees); got [{string.Join(", ", shape)}].", nameof(locationCoords));
        }

        using var values = locationCoords.to(ScalarType.Float64).cpu();
        var flat = values.data<double>().ToArray();
        var locations = Enumerable.Range(0, flat.Length / 2).Select(i => (flat[2 * i], flat[(2 * i) + 1])).ToArray();
        return EncodeLatLon(locations);
    }
}
