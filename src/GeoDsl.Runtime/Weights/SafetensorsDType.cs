using System;
using System.Collections.Generic;
using TorchSharp;

namespace GeoDsl.Runtime.Weights;

/// <summary>
/// The element types the safetensors format defines, declared in the reference implementation's
/// order (its "alignment order"), which its writer uses to lay tensors out: widest first.
/// </summary>
public enum SafetensorsDType
{
    Bool,
    F4,
    F6E2M3,
    F6E3M2,
    U8,
    I8,
    F8E5M2,
    F8E4M3,
    F8E8M0,
    F8E4M3Fnuz,
    F8E5M2Fnuz,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    C64,
    F64,
    I64,
    U64,
}

/// <summary>Spec names, element widths and the TorchSharp types that hold each safetensors dtype.</summary>
public static class SafetensorsDTypes
{
    private static readonly (SafetensorsDType DType, string Name, int Bits)[] Table =
    {
        (SafetensorsDType.Bool, "BOOL", 8),
        (SafetensorsDType.F4, "F4", 4),
        (SafetensorsDType.F6E2M3, "F6_E2M3", 6),
        (SafetensorsDType.F6E3M2, "F6_E3M2", 6),
        (SafetensorsDType.U8, "U8", 8),
        (SafetensorsDType.I8, "I8", 8),
        (SafetensorsDType.F8E5M2, "F8_E5M2", 8),
        (SafetensorsDType.F8E4M3, "F8_E4M3", 8),
        (SafetensorsDType.F8E8M0, "F8_E8M0", 8),
        (SafetensorsDType.F8E4M3Fnuz, "F8_E4M3FNUZ", 8),
        (SafetensorsDType.F8E5M2Fnuz, "F8_E5M2FNUZ", 8),
        (SafetensorsDType.I16, "I16", 16),
        (SafetensorsDType.U16, "U16", 16),
        (SafetensorsDType.F16, "F16", 16),
        (SafetensorsDType.BF16, "BF16", 16),
        (SafetensorsDType.I32, "I32", 32),
        (SafetensorsDType.U32, "U32", 32),
        (SafetensorsDType.F32, "F32", 32),
        (SafetensorsDType.C64, "C64", 64),
        (SafetensorsDType.F64, "F64", 64),
        (SafetensorsDType.I64, "I64", 64),
        (SafetensorsDType.U64, "U64", 64),
    };

    private static readonly Dictionary<string, SafetensorsDType> ByName = BuildByName();

    /// <summary>Every dtype name the format defines, as written in a header.</summary>
    public static IEnumerable<string> SpecNames
    {
        get
        {
            foreach (var entry in Table)
            {
                yield return entry.Name;
            }
        }
    }

    /// <summary>The name a header uses for <paramref name="dtype"/>, e.g. "BF16" or "F8_E4M3".</summary>
    public static string SpecName(this SafetensorsDType dtype) => Table[(int)dtype].Name;

    /// <summary>Bits per element: 4 and 6 for the packed micro-float types, otherwise a whole number of bytes.</summary>
    public static int BitSize(this SafetensorsDType dtype) => Table[(int)dtype].Bits;

    /// <summary>Parses a header's dtype name; names are case-sensitive, as in the reference reader.</summary>
    public static bool TryParse(string name, out SafetensorsDType dtype) => ByName.TryGetValue(name, out dtype);

    /// <summary>The TorchSharp type that holds this dtype bit for bit, or null where TorchSharp 0.107 has none.</summary>
    public static torch.ScalarType? ToScalarType(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.Bool => torch.ScalarType.Bool,
        SafetensorsDType.U8 => torch.ScalarType.Byte,
        SafetensorsDType.I8 => torch.ScalarType.Int8,
        SafetensorsDType.I16 => torch.ScalarType.Int16,
        SafetensorsDType.F16 => torch.ScalarType.Float16,
        SafetensorsDType.BF16 => torch.ScalarType.BFloat16,
        SafetensorsDType.I32 => torch.ScalarType.Int32,
        SafetensorsDType.F32 => torch.ScalarType.Float32,
        SafetensorsDType.C64 => torch.ScalarType.ComplexFloat32,
        SafetensorsDType.F64 => torch.ScalarType.Float64,
        SafetensorsDType.I64 => torch.ScalarType.Int64,
        _ => null,
    };

    /// <summary>The safetensors dtype for a TorchSharp type, or null where the format has none (e.g. complex128, quantized types).</summary>
    public static SafetensorsDType? FromScalarType(torch.ScalarType scalarType) => scalarType switch
    {
        torch.ScalarType.Bool => SafetensorsDType.Bool,
        torch.ScalarType.Byte => SafetensorsDType.U8,
        torch.ScalarType.Int8 => SafetensorsDType.I8,
        torch.ScalarType.Int16 => SafetensorsDType.I16,
        torch.ScalarType.Float16 => SafetensorsDType.F16,
        torch.ScalarType.BFloat16 => SafetensorsDType.BF16,
        torch.ScalarType.Int32 => SafetensorsDType.I32,
        torch.ScalarType.Float32 => SafetensorsDType.F32,
        torch.ScalarType.ComplexFloat32 => SafetensorsDType.C64,
        torch.ScalarType.Float64 => SafetensorsDType.F64,
        torch.ScalarType.Int64 => SafetensorsDType.I64,
        _ => null,
    };

    private static Dictionary<string, SafetensorsDType> BuildByName()
    {
        var byName = new Dictionary<string, SafetensorsDType>(StringComparer.Ordinal);
        for (var i = 0; i < Table.Length; i++)
        {
            if ((int)Table[i].DType != i)
            {
                // The lookups above index Table by the enum's value.
                throw new InvalidOperationException($"SafetensorsDTypes table row {i} is out of order.");
            }
            byName.Add(Table[i].Name, Table[i].DType);
        }
        return byName;
    }
}
