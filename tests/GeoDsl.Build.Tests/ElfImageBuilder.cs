using System.Text;

namespace GeoDsl.Build.Tests;

/// <summary>
/// Writes minimal 64-bit little-endian ELF images with a string table and GNU version sections, laid out as the
/// System V gABI and the LSB describe them, so the reader and the patcher are tested on files of known content.
/// </summary>
internal sealed class ElfImageBuilder
{
    private readonly List<(string File, List<(string Version, ushort Flags)> Versions)> _needs = new();
    private readonly List<string> _definitions = new();

    public ElfImageBuilder Needs(string file, params string[] versions)
    {
        _needs.Add((file, versions.Select(v => (v, (ushort)0)).ToList()));
        return this;
    }

    public ElfImageBuilder Defines(params string[] versions)
    {
        _definitions.AddRange(versions);
        return this;
    }

    public byte[] Build()
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var offsets = new Dictionary<string, uint>();
        uint Intern(string s)
        {
            if (!offsets.TryGetValue(s, out uint at))
            {
                at = (uint)strings.Length;
                var bytes = Encoding.ASCII.GetBytes(s);
                strings.Write(bytes, 0, bytes.Length);
                strings.WriteByte(0);
                offsets[s] = at;
            }

            return at;
        }

        // .gnu.version_r: Verneed (16 bytes) followed by its Vernaux entries (16 bytes each).
        var needs = new MemoryStream();
        for (int i = 0; i < _needs.Count; i++)
        {
            var (file, versions) = _needs[i];
            int size = 16 + (16 * versions.Count);
            Write16(needs, 1);
            Write16(needs, (ushort)versions.Count);
            Write32(needs, Intern(file));
            Write32(needs, 16);
            Write32(needs, i == _needs.Count - 1 ? 0u : (uint)size);
            for (int j = 0; j < versions.Count; j++)
            {
                Write32(needs, 0);
                Write16(needs, versions[j].Flags);
                Write16(needs, (ushort)(j + 2));
                Write32(needs, Intern(versions[j].Version));
                Write32(needs, j == versions.Count - 1 ? 0u : 16u);
            }
        }

        // .gnu.version_d: Verdef (20 bytes) followed by one Verdaux (8 bytes).
        var definitions = new MemoryStream();
        for (int i = 0; i < _definitions.Count; i++)
        {
            Write16(definitions, 1);
            Write16(definitions, 0);
            Write16(definitions, (ushort)(i + 1));
            Write16(definitions, 1);
            Write32(definitions, 0);
            Write32(definitions, 20);
            Write32(definitions, i == _definitions.Count - 1 ? 0u : 28u);
            Write32(definitions, Intern(_definitions[i]));
            Write32(definitions, 0);
        }

        var image = new MemoryStream();
        image.Write(new byte[64]);
        long stringsAt = image.Position;
        image.Write(strings.ToArray());
        Align(image);
        long needsAt = image.Position;
        image.Write(needs.ToArray());
        Align(image);
        long definitionsAt = image.Position;
        image.Write(definitions.ToArray());
        Align(image);
        long sectionsAt = image.Position;

        WriteSection(image, 0, 0, 0, 0, 0);
        WriteSection(image, 3, stringsAt, strings.Length, 0, 0);
        WriteSection(image, 0x6ffffffe, needsAt, needs.Length, 1, (uint)_needs.Count);
        WriteSection(image, 0x6ffffffd, definitionsAt, definitions.Length, 1, (uint)_definitions.Count);

        var bytes = image.ToArray();
        bytes[0] = 0x7f;
        bytes[1] = (byte)'E';
        bytes[2] = (byte)'L';
        bytes[3] = (byte)'F';
        bytes[4] = 2; // ELFCLASS64
        bytes[5] = 1; // little-endian
        bytes[6] = 1;
        BitConverter.GetBytes((ulong)sectionsAt).CopyTo(bytes, 0x28);
        BitConverter.GetBytes((ushort)64).CopyTo(bytes, 0x3a);
        BitConverter.GetBytes((ushort)4).CopyTo(bytes, 0x3c);
        return bytes;
    }

    private static void WriteSection(Stream s, uint type, long offset, long size, uint link, uint info)
    {
        Write32(s, 0);
        Write32(s, type);
        s.Write(new byte[16]); // flags, addr
        s.Write(BitConverter.GetBytes((ulong)offset));
        s.Write(BitConverter.GetBytes((ulong)size));
        Write32(s, link);
        Write32(s, info);
        s.Write(new byte[16]); // addralign, entsize
    }

    private static void Align(Stream s)
    {
        while (s.Position % 8 != 0)
        {
            s.WriteByte(0);
        }
    }

    private static void Write16(Stream s, ushort value) => s.Write(BitConverter.GetBytes(value));

    private static void Write32(Stream s, uint value) => s.Write(BitConverter.GetBytes(value));
}
