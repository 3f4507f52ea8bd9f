using System.Collections.Generic;

namespace GeoDsl.Composition.Catalog.Backbones;

/// <summary>One torchvision ConvNeXt configuration: channels and blocks per stage.</summary>
/// <param name="Name">torchvision's builder name (<c>convnext_tiny</c>), which is also timm's and TerraTorch's spelling.</param>
/// <param name="Dims">Channels of the four stages (strides 4, 8, 16, 32).</param>
/// <param name="Depths">CNBlocks per stage.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record ConvNeXtVariant(string Name, IReadOnlyList<int> Dims, IReadOnlyList<int> Depths, string Source);

/// <summary>
/// torchvision's ConvNeXts (torchvision 0.14 <c>torchvision/models/convnext.py</c>, the <c>CNBlockConfig</c> lists of
/// <c>convnext_tiny</c>, <c>convnext_small</c>, <c>convnext_base</c>, <c>convnext_large</c>; backbone-facts.md §B).
/// </summary>
public static class ConvNeXtVariants
{
    private const string Tv = "torchvision 0.14 convnext.py ";

    public static IReadOnlyList<ConvNeXtVariant> All { get; } = new[]
    {
        new ConvNeXtVariant("convnext_tiny", new[] { 96, 192, 384, 768 }, new[] { 3, 3, 9, 3 }, Tv + "convnext_tiny"),
        new ConvNeXtVariant("convnext_small", new[] { 96, 192, 384, 768 }, new[] { 3, 3, 27, 3 }, Tv + "convnext_small"),
        new ConvNeXtVariant("convnext_base", new[] { 128, 256, 512, 1024 }, new[] { 3, 3, 27, 3 }, Tv + "convnext_base"),
        new ConvNeXtVariant("convnext_large", new[] { 192, 384, 768, 1536 }, new[] { 3, 3, 27, 3 }, Tv + "convnext_large"),
    };

    public static IEnumerable<BackboneDescriptor> Backbones
    {
        get
        {
            foreach (var variant in All)
            {
                yield return new ConvNeXtBackbone(variant);
            }
        }
    }
}
