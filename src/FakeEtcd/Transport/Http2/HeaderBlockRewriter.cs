using System.Buffers;
using System.Text;

namespace FakeEtcd.Transport.Http2;

/// <summary>What to do with one client header block.</summary>
internal enum HeaderBlockOutcome
{
    /// <summary>Forward the original bytes.</summary>
    PassThrough,

    /// <summary>Forward <see cref="HeaderBlockRewriter.Rewritten"/> instead.</summary>
    Rewritten,

    /// <summary>The block is not valid HPACK; the decoder state is lost.</summary>
    Malformed,
}

/// <summary>
/// Follows the client's HPACK stream on one connection and re-encodes header blocks whose
/// <c>:authority</c> Kestrel would reject.
/// </summary>
/// <remarks>
/// Consistency scheme: until the first repair, blocks are forwarded byte for byte, so Kestrel's
/// decoder table equals the client's encoder table (our decoder mirrors it too). The first
/// repaired block starts with a dynamic table size update to 0, which empties Kestrel's table;
/// from then on every block on the connection is re-encoded using only static-table references
/// and literals without indexing, so Kestrel's table stays empty and nothing we send depends on
/// it. Client references to its own dynamic table (including an indexed bad authority) are
/// resolved by our decoder and sent as literals, the authority repaired each time.
/// </remarks>
internal sealed class HeaderBlockRewriter(int maxTableSize) : IHpackSink
{
    private readonly HpackDecoder _decoder = new(maxTableSize);
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private Decision _decision;
    private byte[] _lastBadAuthority = [];
    private byte[] _lastRepairedAuthority = [];

    private enum Decision
    {
        Undecided,
        PassThrough,
        Rewrite,
    }

    /// <summary>True once a block was repaired: every later block must be re-encoded.</summary>
    public bool RewritingConnection { get; private set; }

    /// <summary>The re-encoded block after <see cref="HeaderBlockOutcome.Rewritten"/>.</summary>
    public ReadOnlySpan<byte> Rewritten => _output.WrittenSpan;

    /// <summary>Decodes one complete header block and decides how to forward it.</summary>
    public HeaderBlockOutcome Process(ReadOnlySpan<byte> block)
    {
        _output.ResetWrittenCount();
        if (RewritingConnection)
        {
            _decision = Decision.Rewrite;
        }
        else
        {
            // Fields before the decision are encoded speculatively; a repair empties Kestrel's table first.
            _decision = Decision.Undecided;
            HpackEncoder.WriteTableSizeUpdate(_output, 0);
        }

        try
        {
            _decoder.Decode(block, this);
        }
        catch (HpackDecodingException)
        {
            return HeaderBlockOutcome.Malformed;
        }

        if (_decision != Decision.Rewrite)
        {
            return HeaderBlockOutcome.PassThrough;
        }

        RewritingConnection = true;
        return HeaderBlockOutcome.Rewritten;
    }

    void IHpackSink.OnField(HpackField field)
    {
        var isAuthority = field.Name.SequenceEqual(":authority"u8);
        var valid = !isAuthority || AuthorityRepair.IsValid(field.Value);
        if (_decision == Decision.Undecided)
        {
            // Pseudo-headers come first, so a regular field means there is no authority to repair.
            if (isAuthority || field.Name.IsEmpty || field.Name[0] != (byte)':')
            {
                _decision = valid ? Decision.PassThrough : Decision.Rewrite;
            }
        }

        if (_decision == Decision.PassThrough)
        {
            return;
        }

        if (!valid)
        {
            HpackEncoder.WriteLiteral(_output, HpackStaticTable.Authority, default, Repair(field.Value), neverIndexed: false);
        }
        else if (field.Representation == HpackRepresentation.Indexed && field.StaticIndex != 0)
        {
            HpackEncoder.WriteIndexed(_output, field.StaticIndex);
        }
        else
        {
            var neverIndexed = field.Representation == HpackRepresentation.NeverIndexed;
            HpackEncoder.WriteLiteral(_output, field.StaticIndex, field.Name, field.Value, neverIndexed);
        }
    }

    private byte[] Repair(ReadOnlySpan<byte> authority)
    {
        // Clients repeat the same bad authority on every request; repair it once.
        if (!authority.SequenceEqual(_lastBadAuthority))
        {
            _lastBadAuthority = authority.ToArray();
            _lastRepairedAuthority = Encoding.ASCII.GetBytes(AuthorityRepair.Repair(authority));
        }

        return _lastRepairedAuthority;
    }
}
