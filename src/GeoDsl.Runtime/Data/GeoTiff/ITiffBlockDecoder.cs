namespace GeoDsl.Runtime.Data.GeoTiff;

/// <summary>Turns one stored tile or strip into its pixels: decompressed, predictor undone, in the machine's byte order.</summary>
internal interface ITiffBlockDecoder
{
    /// <summary>Fills <paramref name="destination"/> with the block's <paramref name="decodedSize"/> bytes, or throws naming the block.</summary>
    void Decode(BlockPlace place, byte[] destination, int decodedSize);
}
