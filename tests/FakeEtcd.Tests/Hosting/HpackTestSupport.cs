using System.Buffers;
using System.Text;
using FakeEtcd.Transport.Http2;

namespace FakeEtcd.Tests.Hosting;

/// <summary>Collects decoded fields as strings.</summary>
internal sealed class FieldList : IHpackSink
{
    public List<(string Name, string Value)> Fields { get; } = [];

    public void OnField(HpackField field) =>
        Fields.Add((Encoding.Latin1.GetString(field.Name), Encoding.Latin1.GetString(field.Value)));

    public static List<(string Name, string Value)> Decode(HpackDecoder decoder, ReadOnlySpan<byte> block)
    {
        var list = new FieldList();
        decoder.Decode(block, list);
        return list.Fields;
    }
}

/// <summary>Builds header blocks the way a client encoder would, indexing included.</summary>
internal sealed class BlockBuilder
{
    private readonly ArrayBufferWriter<byte> _output = new();

    public BlockBuilder Indexed(int index)
    {
        HpackEncoder.WriteIndexed(_output, index);
        return this;
    }

    /// <summary>Literal with incremental indexing; a static name index, or 0 for a literal name.</summary>
    public BlockBuilder Indexing(string name, string value, int nameIndex = 0)
    {
        HpackEncoder.WriteInteger(_output, nameIndex, 6, 0x40);
        if (nameIndex == 0)
        {
            HpackEncoder.WriteString(_output, Encoding.ASCII.GetBytes(name));
        }

        HpackEncoder.WriteString(_output, Encoding.ASCII.GetBytes(value));
        return this;
    }

    public BlockBuilder Literal(string name, string value, int nameIndex = 0, bool neverIndexed = false)
    {
        HpackEncoder.WriteLiteral(_output, nameIndex, Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value), neverIndexed);
        return this;
    }

    public BlockBuilder SizeUpdate(int size)
    {
        HpackEncoder.WriteTableSizeUpdate(_output, size);
        return this;
    }

    public BlockBuilder Raw(string hex)
    {
        _output.Write(Convert.FromHexString(hex));
        return this;
    }

    public byte[] Build() => _output.WrittenSpan.ToArray();
}
