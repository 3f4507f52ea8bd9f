namespace GeoDsl.Runtime.Composition.Registrations;

/// <summary>Every backbone family's registrations; each family registers its entries in its own file.</summary>
internal static class BackboneRegistrations
{
    public static void AddAll(ComponentFactories entries)
    {
        PrithviRegistrations.Add(entries);
        ClayRegistrations.Add(entries);
        DofaRegistrations.Add(entries);
        TerraMindRegistrations.Add(entries);
        VisionTransformerRegistrations.Add(entries);
        ConvNeXtRegistrations.Add(entries);
        ResNetRegistrations.Add(entries);
        MaeRegistrations.Add(entries);
        SwinRegistrations.Add(entries);
    }
}
