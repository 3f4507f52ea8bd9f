using GeoDsl.Runtime.Data.GeoTiff;

namespace GeoDsl.Runtime.Data.Synthetic;

/// <summary>
/// One synthetic water-mapping scene: a six-band HLS-like image (Int16 reflectance ×10000, nodata −9999) and its
/// mask (Byte: 1 water, 0 not water, 255 unlabelled: cloud or no image data).
/// </summary>
public sealed record SyntheticScene(GeoRaster Image, GeoRaster Mask)
{
    /// <summary>Water pixels over labelled pixels (cloud and no-data pixels left out).</summary>
    public double WaterFraction
    {
        get
        {
            var mask = Mask.Band(0);
            int water = 0, labelled = 0;
            foreach (float label in mask)
            {
                if (label != SyntheticWaterScenes.MaskNoData)
                {
                    labelled++;
                    water += label == SyntheticWaterScenes.Water ? 1 : 0;
                }
            }

            return labelled == 0 ? 0 : (double)water / labelled;
        }
    }
}
