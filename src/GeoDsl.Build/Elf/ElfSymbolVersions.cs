using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace GeoDsl.Build.Elf;

/// <summary>One version requirement (a Vernaux entry) of a shared library: which file must define which version.</summary>
/// <param name="File">The needed library, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">vna_flags; <see cref="ElfSymbolVersions.WeakFlag"/> makes the loader tolerate a missing version.</param>
/// <param name="FlagsOffset">File offset of the 16-bit vna_flags field.</param>
public readonly record struct VersionRequirement(string File, string Version, ushort Flags, long FlagsOffset)
{
    public bool IsWeak => (Flags & ElfSymbolVersions.WeakFlag) != 0;
}

/// <summary>
/// Reads the GNU symbol-versioning sections of a 64-bit little-endian ELF file: the versions it defines
/// (<c>.gnu.version_d</c>) and the versions it requires of other libraries (<c>.gnu.version_r</c>).
/// </summary>
/// <remarks>
/// Written here rather than taken from a package: the fix needs two small tables and one flag, and the
/// ELF readers on NuGet either lack version sections or pull in far more than an MSBuild task should.
/// Layouts follow the System V gABI and the LSB "Symbol Versioning" chapter.
/// </remarks>
public sealed class ElfSymbolVersions
{
    /// <summary>VER_FLG_WEAK: a requirement the dynamic loader reports as missing only when a symbol needs it.</summary>
    public const ushort WeakFlag = 0x2;

    private const uint SectionTypeVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef
    private const uint SectionTypeVersionNeeds = 0x6ffffffe;       // SHT_GNU_verneed

    private ElfSymbolVersions(string path, IReadOnlyList<string> definitions, IReadOnlyList<VersionRequirement> requirements)
    {
        Path = path;
        Definitions = definitions;
        Requirements = requirements;
    }

    public string Path { get; }

    /// <summary>Version names this library defines (e.g. every <c>GLIBCXX_*</c> of libstdc++).</summary>
    public IReadOnlyList<string> Definitions { get; }

    /// <summary>Version names this library needs from others.</summary>
    public IReadOnlyList<VersionRequirement> Requirements { get; }

    public static ElfSymbolVersions Read(string path) => Parse(path, File.ReadAllBytes(path));

    /// <summary>Parses an in-memory image; <paramref name="path"/> only names the file in errors.</summary>
    public static ElfSymbolVersions Parse(string path, byte[] image)
    {
        var reader = new Reader(path, image);
        reader.Expect(image.Length >= 64 && image[0] == 0x7f && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F',
            "is not an ELF file (no \\x7fELF magic)");
        reader.Expect(image[4] == 2, "is a 32-bit ELF file; only 64-bit libraries are supported");
        reader.Expect(image[5] == 1, "is a big-endian ELF file; only little-endian libraries are supported");

        long sectionHeaders = (long)reader.U64(0x28);
        int sectionHeaderSize = reader.U16(0x3a);
        int sectionCount = reader.U16(0x3c);
        reader.Expect(sectionHeaderSize >= 64, $"has a section header size of {sectionHeaderSize} bytes (64 expected)");

        var sections = new List<Section>(sectionCount);
        for (int i = 0; i < sectionCount; i++)
        {
            long at = sectionHeaders + (long)i * sectionHeaderSize;
            sections.Add(new Section(
                Type: reader.U32(at + 4),
                Offset: (long)reader.U64(at + 24),
                Size: (long)reader.U64(at + 32),
                Link: (int)reader.U32(at + 40),
                Info: (int)reader.U32(at + 44)));
        }

        var definitions = new List<string>();
        var requirements = new List<VersionRequirement>();
        foreach (var section in sections)
        {
            if (section.Type == SectionTypeVersionDefinitions)
            {
                reader.Expect(section.Link < sections.Count, "has a version-definition section linked to a missing string table");
                ReadDefinitions(reader, section, sections[section.Link], definitions);
            }
            else if (section.Type == SectionTypeVersionNeeds)
            {
                reader.Expect(section.Link < sections.Count, "has a version-needs section linked to a missing string table");
                ReadRequirements(reader, section, sections[section.Link], requirements);
            }
        }

        return new ElfSymbolVersions(path, definitions, requirements);
    }

    private static void ReadDefinitions(Reader reader, Section section, Section strings, List<string> into)
    {
        long entry = section.Offset;
        for (int i = 0; i < section.Info; i++)
        {
            int auxCount = reader.U16(entry + 6);
            long aux = entry + reader.U32(entry + 12);
            for (int j = 0; j < auxCount; j++)
            {
                // The first Verdaux names the defined version; later ones name its predecessors.
                if (j == 0)
                {
                    into.Add(reader.String(strings, reader.U32(aux)));
                }

                aux += reader.U32(aux + 4);
            }

            uint next = reader.U32(entry + 16);
            if (next == 0)
            {
                break;
            }

            entry += next;
        }
    }

    private static void ReadRequirements(Reader reader, Section section, Section strings, List<VersionRequirement> into)
    {
        long entry = section.Offset;
        for (int i = 0; i < section.Info; i++)
        {
            int auxCount = reader.U16(entry + 2);
            string file = reader.String(strings, reader.U32(entry + 4));
            long aux = entry + reader.U32(entry + 8);
            for (int j = 0; j < auxCount; j++)
            {
                ushort flags = (ushort)reader.U16(aux + 4);
                string version = reader.String(strings, reader.U32(aux + 8));
                into.Add(new VersionRequirement(file, version, flags, aux + 4));
                uint nextAux = reader.U32(aux + 12);
                if (nextAux == 0)
                {
                    break;
                }

                aux += nextAux;
            }

            uint next = reader.U32(entry + 12);
            if (next == 0)
            {
                break;
            }

            entry += next;
        }
    }

    private readonly record struct Section(uint Type, long Offset, long Size, int Link, int Info);

    private sealed class Reader
    {
        private readonly string _path;
        private readonly byte[] _image;

        public Reader(string path, byte[] image)
        {
            _path = path;
            _image = image;
        }

        public void Expect(bool condition, string problem)
        {
            if (!condition)
            {
                throw new InvalidDataException($"'{_path}' {problem}.");
            }
        }

        private void InRange(long offset, int length) =>
            Expect(offset >= 0 && offset + length <= _image.Length, $"is truncated or corrupt: a field at offset {offset} lies past its end ({_image.Length} bytes)");

        public int U16(long offset)
        {
            InRange(offset, 2);
            return _image[offset] | (_image[offset + 1] << 8);
        }

        public uint U32(long offset)
        {
            InRange(offset, 4);
            return (uint)(_image[offset] | (_image[offset + 1] << 8) | (_image[offset + 2] << 16) | (_image[offset + 3] << 24));
        }

        public ulong U64(long offset) => U32(offset) | ((ulong)U32(offset + 4) << 32);

        public string String(Section table, uint index)
        {
            long start = table.Offset + index;
            InRange(start, 1);
            long end = start;
            while (end < _image.Length && _image[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(_image, (int)start, (int)(end - start));
        }
    }
}
