using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GeoDsl.Composition.Diagnostics;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>
/// Per-band central wavelengths for the wavelength-conditioned patch embeddings. DOFA introduced the design
/// (a hypernetwork turns each band's wavelength into that band's patch-projection weights); Clay adopted it
/// (Clay-foundation/model <c>claymodel/embedding.py</c> credits DOFA), so both families resolve and check
/// wavelengths here. A band's wavelength comes from the <c>wavelengths</c> argument when given, else from the
/// family's table; a band without one cannot be embedded at all.
/// </summary>
public static class DofaWavelengths
{
    /// <summary>The argument that overrides the table: one wavelength in µm per input band, in band order.</summary>
    public const string ArgumentName = "wavelengths";

    /// <summary>
    /// DOFA's table: <see cref="Bands"/>' central wavelengths in µm (Sentinel-1 at 5.405 as DOFA uses it). TerraTorch's
    /// own <c>waves_list</c> (terratorch/models/backbones/dofa_vit.py) rounds a few differently (NIR_BROAD 0.832,
    /// NIR_NARROW 0.864, SWIR_2 2.20); GeoDsl keeps one band table. Bands without one (ELEVATION) give null.
    /// </summary>
    public static double? Dofa(string band) => Bands.Find(band) is { WavelengthMicrometres: > 0 } known ? known.WavelengthMicrometres : null;

    /// <summary>The argument's declaration, shared by both families.</summary>
    public static ParameterInfo Parameter(string family) => ParameterInfo.Optional(ArgumentName, ParameterType.ListOf(ParameterType.Float(1e-9), minCount: 1),
        $"Central wavelength of each input band in µm, in band order; replaces {family}'s table (needed for bands it has no wavelength for).");

    /// <summary>One wavelength per input band (µm): the argument, else the table; NaN where neither knows it.</summary>
    public static double[] Resolve(InputSpec input, ArgumentList args, Func<string, double?> table)
    {
        var given = args.Has(ArgumentName) ? args.DoubleList(ArgumentName) : null;
        if (given is not null && given.Count == input.Channels)
        {
            return given.ToArray();
        }

        return input.Bands.Select(b => table(b) ?? double.NaN).ToArray();
    }

    /// <summary>
    /// Reports (and returns false) when <c>wavelengths</c> does not give one value per band, or when a band has no
    /// known wavelength. <paramref name="reason"/> says why the family needs one, for the message.
    /// </summary>
    public static bool Check(InputSpec input, ArgumentList args, Func<string, double?> table, string title, string reason, ShapeContext context)
    {
        if (args.Has(ArgumentName))
        {
            int count = args.DoubleList(ArgumentName).Count;
            if (count != input.Channels)
            {
                context.ReportAt(ArgumentName, DiagnosticDescriptors.ArgumentOutOfRange, ArgumentName, title,
                    $"a list of {input.Channels.ToString(CultureInfo.InvariantCulture)} wavelengths in µm, one per input band ({string.Join(", ", input.Bands)})",
                    $"{count.ToString(CultureInfo.InvariantCulture)} value(s)");
                return false;
            }

            return true;
        }

        var unknown = input.Bands.Where(b => table(b) is null).ToList();
        if (unknown.Count == 0)
        {
            return true;
        }

        context.ReportAt(ArgumentName, DiagnosticDescriptors.BandWithoutWavelength, title, reason, string.Join(", ", unknown), unknown.Count == 1 ? "has" : "have",
            input.Channels.ToString(CultureInfo.InvariantCulture), unknown.Count == 1 ? "it" : "them");
        return false;
    }
}
